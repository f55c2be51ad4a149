"use client";

import { RouteError } from "@/components/layout/route-error";

export default function LogsError({ error, retry }: { error: unknown; retry: () => void }) {
  return <RouteError error={error} retry={retry} title="This log page failed to load" />;
}
