import { roundRobin } from "./round-robin";
import type { TCandidate, TPickRequest, TPolicy } from "./types";

/** Points per backend on the ring: enough that shares stay within a few percent. */
export const VIRTUAL_NODES = 160;

type TRing = { signature: string; points: Uint32Array; owners: string[] };

/** 32-bit FNV-1a, then a murmur3 finaliser so that similar keys land far apart. */
export function hash32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;

  return hash >>> 0;
}

/** The ring for a set of backend ids: VIRTUAL_NODES points each, sorted by position. */
export function buildRing(ids: readonly string[]): TRing {
  const entries: { point: number; owner: string }[] = [];
  for (const id of ids) {
    for (let v = 0; v < VIRTUAL_NODES; v += 1) {
      entries.push({ point: hash32(`${id}#${v}`), owner: id });
    }
  }
  // Ties between points are broken by owner, so every process builds the same ring.
  entries.sort((a, b) => a.point - b.point || (a.owner < b.owner ? -1 : 1));

  return {
    signature: [...ids].sort().join(","),
    points: Uint32Array.from(entries.map((entry) => entry.point)),
    owners: entries.map((entry) => entry.owner),
  };
}

/** The owner of the first point at or after the key's hash, wrapping around. */
export function lookup(ring: TRing, key: string): string | undefined {
  const { points, owners } = ring;
  if (points.length === 0) {
    return undefined;
  }
  const target = hash32(key);
  let low = 0;
  let high = points.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((points[mid] ?? 0) < target) {
      low = mid + 1;
    } else {
      high = mid;
    }
  }

  return owners[low % points.length];
}

/**
 * Consistent hashing on a ring with virtual nodes: one key always reaches the same backend
 * while the set stays, and when a backend leaves only its keys move. A request without a key
 * (no such header or cookie) is sent round robin.
 */
export function consistentHash(): TPolicy {
  let ring: TRing = buildRing([]);
  const fallback = roundRobin();

  return {
    pick(candidates: readonly TCandidate[], request: TPickRequest = {}) {
      if (candidates.length === 0) {
        return undefined;
      }
      if (request.key === undefined) {
        return fallback.pick(candidates);
      }
      const ids = candidates.map((candidate) => candidate.id);
      const signature = [...ids].sort().join(",");
      if (signature !== ring.signature) {
        ring = buildRing(ids);
      }
      const owner = lookup(ring, request.key);

      return candidates.find((candidate) => candidate.id === owner) ?? candidates[0];
    },
  };
}
