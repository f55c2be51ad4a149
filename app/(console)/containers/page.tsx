import type { Metadata } from "next";
import { Suspense } from "react";

import { ContainersView } from "@/components/containers/containers-view";
import { PageSkeleton } from "@/components/layout/page-skeleton";

export const metadata: Metadata = { title: "Containers" };

export default function ContainersPage() {
  return (
    // The search lives in the URL; reading it needs a Suspense boundary for prerendering.
    <Suspense fallback={<PageSkeleton />}>
      <ContainersView />
    </Suspense>
  );
}
