import type { Metadata } from "next";

import { ButtonLink } from "@/components/ui/button";

export const metadata: Metadata = { title: "Not found" };

export default function NotFound() {
  return (
    <main className="flex min-h-dvh items-center justify-center p-6">
      <div className="max-w-md text-center">
        <p className="text-sm font-medium text-muted">404</p>
        <h1 className="mt-1 text-xl font-semibold">There is no page here</h1>
        <p className="mt-2 text-sm text-muted">
          The address may be mistyped, or what it showed was removed.
        </p>
        <div className="mt-6 flex justify-center gap-2">
          <ButtonLink href="/" variant="primary">
            Go to overview
          </ButtonLink>
          <ButtonLink href="/nodes">See nodes</ButtonLink>
        </div>
      </div>
    </main>
  );
}
