"use client";

import { RouteError } from "@/components/layout/route-error";

export default function SettingsError({ error, retry }: { error: unknown; retry: () => void }) {
  return <RouteError error={error} retry={retry} title="Settings failed to load" />;
}
