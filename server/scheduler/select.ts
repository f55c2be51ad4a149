/**
 * Stage 4, select: the feasible node with the highest combined score. Equal scores are broken
 * by a hash of (seed, replica index, node id), so the choice is fixed by the seed and does not
 * depend on the order nodes were listed in.
 */
import { type TRequestContext } from "./filter";

/**
 * A 32-bit hash of (seed, replica index) (a murmur3-style finaliser): the replica's tie mix.
 */
export function tieMix(seed: number, replicaIndex: number): number {
  let h = (seed ^ Math.imul(replicaIndex + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);

  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * A node's tie key for one replica: its id hash mixed with the replica's tie mix. Cheap (one
 * xor, one multiply) because in an empty cluster every node ties; it depends only on the seed,
 * the replica and the node's id, not on the order nodes are visited in.
 */
export function tieKey(idHash: number, mix: number): number {
  return Math.imul(idHash ^ mix, 0x9e3779b1) >>> 0;
}

/** The best positions in the feasible list so far, best first, with their scores and keys. */
type TTop = { positions: number[]; scores: number[]; keys: number[] };

function insert(top: TTop, k: number, score: number, key: number, limit: number): void {
  let at = top.positions.length;
  while (at > 0) {
    const above = top.scores[at - 1]!;
    if (score < above || (score === above && key < top.keys[at - 1]!)) {
      break;
    }
    at--;
  }
  top.positions.splice(at, 0, k);
  top.scores.splice(at, 0, score);
  top.keys.splice(at, 0, key);
  if (top.positions.length > limit) {
    top.positions.pop();
    top.scores.pop();
    top.keys.pop();
  }
}

/**
 * Keeps the best `limit` positions in the feasible list, best first. Most nodes lose the first
 * comparison against the worst one kept, so the loop costs one float comparison per node; the
 * tie key is hashed only for a node whose score equals it.
 */
export function selectNodes(ctx: TRequestContext, replicaIndex: number, limit: number): number[] {
  const { combined } = ctx.state.scratch;
  const { feasible } = ctx;
  const { idHash } = ctx.state;
  const mix = tieMix(ctx.seed, replicaIndex);
  const top: TTop = { positions: [], scores: [], keys: [] };
  let worst = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < ctx.feasibleCount; k++) {
    const score = combined[k]!;
    if (score < worst) {
      continue;
    }
    const key = tieKey(idHash[feasible[k]!]!, mix);
    const full = top.positions.length === limit;
    if (full && score === worst && key < top.keys[limit - 1]!) {
      continue;
    }
    insert(top, k, score, key, limit);
    worst = top.positions.length === limit ? top.scores[limit - 1]! : worst;
  }

  return top.positions;
}
