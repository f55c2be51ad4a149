"use client";

import { RouteError } from "@/components/layout/route-error";

export default function EditAppError({ error, retry }: { error: unknown; retry: () => void }) {
  return <RouteError error={error} retry={retry} title="This app's edit page failed to load" />;
}
