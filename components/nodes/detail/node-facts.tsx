import type { ReactNode } from "react";

import { formatBytes, formatCpus, formatDateTime } from "@/components/format";
import type { TNodeView } from "@/components/trpc/client";
import { RelativeTime } from "@/components/ui/relative-time";

function Fact({
  label,
  children,
  isMono,
}: {
  label: string;
  children: ReactNode;
  isMono?: boolean;
}) {
  return (
    <div className="min-w-0">
      <dt className="text-xs text-muted">{label}</dt>
      <dd
        className={isMono ? "mt-0.5 font-mono text-xs wrap-anywhere" : "mt-0.5 text-sm break-words"}
      >
        {children}
      </dd>
    </div>
  );
}

function orDash(value: string): string {
  return value === "" ? "—" : value;
}

/** What Berth knows of a node's engine: capacity, versions, platform and how it is reached. */
export function NodeFacts({ node }: { node: TNodeView }) {
  return (
    <dl className="grid grid-cols-2 gap-x-6 gap-y-4 sm:grid-cols-3 2xl:grid-cols-4">
      <Fact label="CPUs">{formatCpus(node.cpus)}</Fact>
      <Fact label="Memory">{formatBytes(node.memoryBytes)}</Fact>
      <Fact label="Engine">
        {orDash(node.engineVersion)}
        <span className="text-muted"> · API {orDash(node.apiVersion)}</span>
      </Fact>
      <Fact label="Host name">{orDash(node.engineName)}</Fact>
      <Fact label="OS / arch">
        {orDash(node.os)} / {orDash(node.arch)}
      </Fact>
      <Fact label="Kernel">{orDash(node.kernelVersion)}</Fact>
      <Fact label="Endpoint" isMono>
        {node.endpoint}
      </Fact>
      <Fact label="Advertise address" isMono>
        {node.advertiseAddress}
      </Fact>
      <Fact label="TLS">{node.hasTls ? "Yes (mutual TLS)" : "No"}</Fact>
      <Fact label="Last heartbeat">
        <RelativeTime at={node.lastHeartbeatAt} />
      </Fact>
      <Fact label="Added">{formatDateTime(node.createdAt)}</Fact>
    </dl>
  );
}
