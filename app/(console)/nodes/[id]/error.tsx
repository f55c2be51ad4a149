"use client";

import { RouteError } from "@/components/layout/route-error";

export default function NodeError({ error, retry }: { error: unknown; retry: () => void }) {
  return <RouteError error={error} retry={retry} title="This node's page failed to load" />;
}
