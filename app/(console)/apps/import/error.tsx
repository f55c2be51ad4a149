"use client";

import { RouteError } from "@/components/layout/route-error";

export default function ImportComposeError({
  error,
  retry,
}: {
  error: unknown;
  retry: () => void;
}) {
  return <RouteError error={error} retry={retry} title="The import page failed to load" />;
}
