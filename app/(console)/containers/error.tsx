"use client";

import { RouteError } from "@/components/layout/route-error";

export default function ContainersError({ error, retry }: { error: unknown; retry: () => void }) {
  return <RouteError error={error} retry={retry} title="The containers page failed to load" />;
}
