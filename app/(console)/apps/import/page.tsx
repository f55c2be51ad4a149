import type { Metadata } from "next";

import { ImportView } from "@/components/apps/import/import-view";

export const metadata: Metadata = { title: "Import Compose" };

export default function ImportComposePage() {
  return <ImportView />;
}
