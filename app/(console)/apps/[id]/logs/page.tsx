import type { Metadata } from "next";

import { AppLogsPage } from "@/components/logs/app-logs-page";

export const metadata: Metadata = { title: "Logs" };

export default async function LogsPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ replica?: string | string[] }>;
}) {
  const { id } = await params;
  const { replica } = await searchParams;

  return <AppLogsPage appId={id} replicaId={typeof replica === "string" ? replica : undefined} />;
}
