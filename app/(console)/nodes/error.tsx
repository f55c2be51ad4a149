"use client";

import { RouteError } from "@/components/layout/route-error";

export default function NodesError({ error, retry }: { error: unknown; retry: () => void }) {
  return <RouteError error={error} retry={retry} title="The nodes page failed to load" />;
}
