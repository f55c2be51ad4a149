"use client";

import { useQuery } from "@tanstack/react-query";

import { type TAppView, type TRouterOutputs, useTRPC } from "@/components/trpc/client";
import { Badge } from "@/components/ui/badge";
import { Cell, HeadCell, Table } from "@/components/ui/data-table";
import { Notice } from "@/components/ui/notice";
import { Panel } from "@/components/ui/panel";
import { QueryErrorNotice } from "@/components/ui/query-error-notice";
import { SkeletonRows } from "@/components/ui/skeleton";

import { formatLatencyMs, formatRate } from "./format";

/** The gateway writes its samples every 5 s; polling at that pace shows each one. */
export const GATEWAY_POLL_MS = 5000;

/**
 * The app's service address and, per replica, what the gateways measured over their last
 * interval: requests and errors per second, p50 and p99 latency, connections open.
 */
export function GatewayPanel({ app }: { app: TAppView }) {
  const trpc = useTRPC();
  const query = useQuery(
    trpc.gateway.get.queryOptions(
      { appId: app.id },
      {
        refetchInterval: (state) => (state.state.status === "error" ? false : GATEWAY_POLL_MS),
      },
    ),
  );
  const view = query.data;
  const description = view?.serviceAddress
    ? `${view.mode ?? "http"} on ${view.serviceAddress}, ${view.policy ?? "round-robin"}`
    : "The gateway serves apps that declare a TCP port.";

  return (
    <Panel title="Gateway" description={description} isFlush>
      {query.isError ? (
        <div className="p-4">
          <QueryErrorNotice
            title="Gateway metrics could not be loaded"
            error={query.error}
            onRetry={() => void query.refetch()}
          />
        </div>
      ) : !view ? (
        <SkeletonRows rows={3} label="Loading gateway metrics" />
      ) : (
        <GatewayTable view={view} />
      )}
    </Panel>
  );
}

type TGatewayView = TRouterOutputs["gateway"]["get"];

function GatewayTable({ view }: { view: TGatewayView }) {
  if (!view.serviceAddress) {
    return <p className="p-4 text-sm text-muted">No service address: add a TCP port to the app.</p>;
  }

  return (
    <div data-testid="gateway-panel">
      <p className="px-4 py-3 text-sm">
        Service address{" "}
        <code className="rounded bg-sunken px-1.5 py-0.5 font-mono" data-testid="service-address">
          {view.serviceAddress}
        </code>
        <span className="ml-2 text-xs text-muted">
          {view.gateways === 1 ? "1 gateway reporting" : `${view.gateways} gateways reporting`}
        </span>
      </p>
      {view.listenErrors.map((failure) => (
        <Notice
          key={failure.gateway}
          tone="danger"
          role="status"
          title={`Not listening on port ${failure.port}`}
          className="mx-4 mb-3"
        >
          <span data-testid="gateway-listen-error">{failure.message}</span>
        </Notice>
      ))}
      <Table
        head={
          <>
            <HeadCell>Replica</HeadCell>
            <HeadCell>Node</HeadCell>
            <HeadCell>In rotation</HeadCell>
            <HeadCell className="text-right">Req/s</HeadCell>
            <HeadCell className="text-right">Errors/s</HeadCell>
            <HeadCell className="text-right">p50</HeadCell>
            <HeadCell className="text-right">p99</HeadCell>
            <HeadCell className="text-right">Active</HeadCell>
          </>
        }
      >
        {view.replicas.map((replica) => (
          <tr key={replica.replicaId} data-testid="gateway-replica">
            <Cell className="tabular-nums">{replica.slot}</Cell>
            <Cell>{replica.nodeName ?? "–"}</Cell>
            <Cell>
              {replica.isEjected ? (
                <Badge tone="danger">ejected</Badge>
              ) : replica.isReady ? (
                <Badge tone="ok">yes</Badge>
              ) : (
                <Badge tone="neutral">{replica.state}</Badge>
              )}
            </Cell>
            <Cell className="text-right tabular-nums" data-testid="gateway-rps">
              {formatRate(replica.requestsPerSecond)}
            </Cell>
            <Cell className="text-right tabular-nums">{formatRate(replica.errorsPerSecond)}</Cell>
            <Cell className="text-right tabular-nums" data-testid="gateway-p50">
              {formatLatencyMs(replica.latencyP50Ms)}
            </Cell>
            <Cell className="text-right tabular-nums">{formatLatencyMs(replica.latencyP99Ms)}</Cell>
            <Cell className="text-right tabular-nums">{replica.activeConnections}</Cell>
          </tr>
        ))}
      </Table>
    </div>
  );
}
