"use client";

import { RouteError } from "@/components/layout/route-error";

export default function EventsError({ error, retry }: { error: unknown; retry: () => void }) {
  return <RouteError error={error} retry={retry} title="The events page failed to load" />;
}
