"use client";

import { RouteError } from "@/components/layout/route-error";

export default function LoginError({ error, retry }: { error: unknown; retry: () => void }) {
  return <RouteError error={error} retry={retry} title="The sign-in page failed to load" />;
}
