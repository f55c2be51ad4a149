/**
 * Merges one pushed node change into the cached node list. Pure: returns a new list (or the same
 * one when nothing changed) and never mutates its input, so React and TanStack Query see changes.
 */

type TNodeLike = { id: string; name: string };

export type TNodeChangeOf<TNode extends TNodeLike> =
  { type: "upsert"; node: TNode } | { type: "remove"; id: string };

/** The list order: by name, as the server sorts `node.find`. */
function byName(a: TNodeLike, b: TNodeLike): number {
  if (a.name === b.name) {
    return 0;
  }

  return a.name < b.name ? -1 : 1;
}

function insertSorted<TNode extends TNodeLike>(list: readonly TNode[], node: TNode): TNode[] {
  const index = list.findIndex((other) => byName(node, other) < 0);
  if (index === -1) {
    return [...list, node];
  }

  return [...list.slice(0, index), node, ...list.slice(index)];
}

/**
 * Upsert replaces a known node in place (or re-sorts it if its name changed) and inserts a new
 * one in name order; remove drops it. A list not loaded yet stays unloaded: the initial query,
 * not a push, fills it.
 */
export function mergeNodeChange<TNode extends TNodeLike>(
  list: readonly TNode[] | undefined,
  change: TNodeChangeOf<TNode>,
): TNode[] | undefined {
  if (!list) {
    return undefined;
  }
  if (change.type === "remove") {
    const kept = list.filter((node) => node.id !== change.id);

    return kept.length === list.length ? [...list] : kept;
  }
  const index = list.findIndex((node) => node.id === change.node.id);
  if (index === -1) {
    return insertSorted(list, change.node);
  }
  if (list[index]?.name === change.node.name) {
    return list.map((node, at) => (at === index ? change.node : node));
  }

  return insertSorted(
    list.filter((node) => node.id !== change.node.id),
    change.node,
  );
}
