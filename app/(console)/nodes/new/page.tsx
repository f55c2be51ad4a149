import type { Metadata } from "next";

import { NewNodeView } from "@/components/nodes/new-node-view";

export const metadata: Metadata = { title: "Add node" };

export default function NewNodePage() {
  return <NewNodeView />;
}
