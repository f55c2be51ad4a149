import Link from "next/link";

import { BackIcon } from "./icons";

/** "‹ Nodes" above a page title: the way up one level. */
export function BackLink({ href, children }: { href: string; children: string }) {
  return (
    <Link href={href} className="inline-flex items-center gap-1 text-sm text-muted hover:text-fg">
      <BackIcon className="size-4" />
      {children}
    </Link>
  );
}
