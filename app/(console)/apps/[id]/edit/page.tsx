import type { Metadata } from "next";

import { EditAppView } from "@/components/apps/edit/edit-app-view";

export const metadata: Metadata = { title: "Edit app" };

export default async function EditAppPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;

  return <EditAppView id={id} />;
}
