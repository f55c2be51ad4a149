"use client";

import { RouteError } from "@/components/layout/route-error";

export default function AppError({ error, retry }: { error: unknown; retry: () => void }) {
  return <RouteError error={error} retry={retry} title="This app's page failed to load" />;
}
