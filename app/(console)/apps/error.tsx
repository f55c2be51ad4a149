"use client";

import { RouteError } from "@/components/layout/route-error";

export default function AppsError({ error, retry }: { error: unknown; retry: () => void }) {
  return <RouteError error={error} retry={retry} title="The apps page failed to load" />;
}
