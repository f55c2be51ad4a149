import type { Metadata } from "next";
import { Suspense } from "react";

import { EventsView } from "@/components/events/events-view";
import { PageSkeleton } from "@/components/layout/page-skeleton";

export const metadata: Metadata = { title: "Events" };

export default function EventsPage() {
  return (
    // The filters live in the URL; reading them needs a Suspense boundary for prerendering.
    <Suspense fallback={<PageSkeleton />}>
      <EventsView />
    </Suspense>
  );
}
