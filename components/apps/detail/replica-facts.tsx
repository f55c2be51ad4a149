"use client";

import Link from "next/link";

import { Badge } from "@/components/ui/badge";
import { useNow } from "@/components/ui/now-store";

import {
  type TReplicaView,
  formatAddress,
  hostAddress,
  replicaStateTone,
  secondsUntil,
} from "../status/app-status";
import { CopyText } from "./copy-text";

/** The replica's node, linked; an unplaced replica has none. */
export function ReplicaNode({ replica }: { replica: TReplicaView }) {
  if (!replica.nodeId) {
    return <span className="text-muted">not placed</span>;
  }

  return (
    <Link
      href={`/nodes/${replica.nodeId}`}
      className="font-medium text-accent hover:underline"
      data-testid="replica-node"
    >
      {replica.nodeName ?? replica.nodeId}
    </Link>
  );
}

export function ReplicaState({ state }: { state: string }) {
  return (
    <span className="inline-flex" data-testid="replica-state" data-state={state}>
      <Badge tone={replicaStateTone(state)} hasDot>
        {state}
      </Badge>
    </span>
  );
}

/** Each published port as `hostIp:hostPort → containerPort/proto`; a click copies the host side. */
export function ReplicaAddresses({ replica }: { replica: TReplicaView }) {
  if (replica.ports.length === 0) {
    return <span className="text-muted">none</span>;
  }

  return (
    <ul className="space-y-0.5" data-testid="replica-addresses">
      {replica.ports.map((port) => (
        <li key={`${port.hostIp}:${port.hostPort}/${port.protocol}`}>
          <CopyText text={formatAddress(port)} value={hostAddress(port)} />
        </li>
      ))}
    </ul>
  );
}

/** Restarts so far, and the countdown to the next one while a crash-looping replica waits. */
export function ReplicaRestarts({ replica }: { replica: TReplicaView }) {
  const now = useNow();
  const waits = replica.restartAt && now > 0 ? secondsUntil(replica.restartAt, now) : null;

  return (
    <span className="tabular-nums" data-testid="replica-restarts">
      {replica.restartCount}
      {waits === null ? null : (
        <span className="block text-xs text-warn">next restart in {waits} s</span>
      )}
    </span>
  );
}

/** The health check's last message, under the badge, when it says something. */
export function HealthMessage({ replica }: { replica: TReplicaView }) {
  if (!replica.healthMessage || replica.health === "healthy") {
    return null;
  }

  return <p className="mt-1 text-xs wrap-anywhere text-muted">{replica.healthMessage}</p>;
}
