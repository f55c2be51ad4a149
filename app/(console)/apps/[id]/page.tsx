import type { Metadata } from "next";

import { AppDetailView } from "@/components/apps/detail/app-detail-view";

export const metadata: Metadata = { title: "App" };

export default async function AppPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;

  return <AppDetailView id={id} />;
}
