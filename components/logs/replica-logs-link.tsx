import Link from "next/link";

/** A link to one replica's logs, for the replicas list. */
export function ReplicaLogsLink({ appId, replicaId }: { appId: string; replicaId: string }) {
  return (
    <Link
      href={`/apps/${appId}/logs?replica=${replicaId}`}
      className="ml-2 text-xs text-accent hover:underline"
      data-testid="replica-logs-link"
    >
      logs
    </Link>
  );
}
