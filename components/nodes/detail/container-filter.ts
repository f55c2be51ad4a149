/** The container search on a node's page: every word must appear in the name or the image. */

type TContainerLike = { name: string; image: string };

export function filterContainers<TContainer extends TContainerLike>(
  containers: readonly TContainer[],
  query: string,
): TContainer[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) {
    return [...containers];
  }

  return containers.filter((container) => {
    const haystack = `${container.name} ${container.image}`.toLowerCase();

    return words.every((word) => haystack.includes(word));
  });
}

/** Running first, then by name: what an operator scans for first. */
export function sortContainers<TContainer extends TContainerLike & { state: string }>(
  containers: readonly TContainer[],
): TContainer[] {
  return containers.toSorted((a, b) => {
    const running = Number(b.state === "running") - Number(a.state === "running");

    return running !== 0 ? running : a.name.localeCompare(b.name);
  });
}
