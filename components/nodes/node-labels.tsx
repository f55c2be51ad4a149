import { Chip } from "@/components/ui/badge";

/** Labels as key=value chips, sorted by key; wraps on narrow screens. */
export function NodeLabels({ labels }: { labels: Record<string, string> }) {
  const keys = Object.keys(labels).toSorted();
  if (keys.length === 0) {
    return <span className="text-xs text-faint">none</span>;
  }

  return (
    <ul className="flex flex-wrap gap-1" aria-label="Labels">
      {keys.map((key) => (
        <li key={key} className="max-w-full">
          <Chip>
            {key}={labels[key]}
          </Chip>
        </li>
      ))}
    </ul>
  );
}
