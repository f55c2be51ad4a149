"use client";

import { Badge } from "@/components/ui/badge";
import { Cell, HeadCell, Table } from "@/components/ui/data-table";
import { TABLE_QUERY, useMediaQuery } from "@/components/ui/use-media-query";

import { ServiceFindings } from "./service-findings";
import type { TServicePreview } from "./use-compose-preview";

type TSelection = {
  isSelected: (key: string) => boolean;
  onToggle: (key: string, isSelected: boolean) => void;
  isDisabled: boolean;
};

function portsOf(service: TServicePreview): string {
  if (!service.spec) {
    return "—";
  }
  const ports = service.spec.ports;
  if (ports.length === 0) {
    return "none";
  }

  return ports
    .map((port) => {
      const published = port.hostPort === undefined ? "" : `${port.hostPort}:`;

      return `${published}${port.containerPort}/${port.protocol}`;
    })
    .join(", ");
}

function ActionBadge({ service }: { service: TServicePreview }) {
  if (!service.spec) {
    return (
      <Badge tone="danger" hasDot data-testid="service-action">
        Cannot import
      </Badge>
    );
  }

  return service.action === "create" ? (
    <Badge tone="info" data-testid="service-action">
      Create
    </Badge>
  ) : (
    <Badge tone="warn" data-testid="service-action">
      Update
    </Badge>
  );
}

function Choose({ service, selection }: { service: TServicePreview; selection: TSelection }) {
  return (
    <input
      type="checkbox"
      aria-label={`Import ${service.name}`}
      className="size-4 accent-accent"
      checked={service.spec !== null && selection.isSelected(service.key)}
      disabled={service.spec === null || selection.isDisabled}
      onChange={(event) => selection.onToggle(service.key, event.target.checked)}
    />
  );
}

function ServiceName({ service }: { service: TServicePreview }) {
  return (
    <span className="font-medium wrap-anywhere">
      {service.name}
      {service.key !== service.name ? (
        <span className="ml-1 text-xs font-normal text-muted">({service.key})</span>
      ) : null}
    </span>
  );
}

function ServiceTable({
  services,
  selection,
}: {
  services: readonly TServicePreview[];
  selection: TSelection;
}) {
  return (
    <Table
      head={
        <>
          <HeadCell className="w-10">
            <span className="sr-only">Import</span>
          </HeadCell>
          <HeadCell>Service</HeadCell>
          <HeadCell>Action</HeadCell>
          <HeadCell>Image</HeadCell>
          <HeadCell className="text-right">Replicas</HeadCell>
          <HeadCell>Ports</HeadCell>
        </>
      }
    >
      {services.map((service) => (
        <tr key={service.key} data-testid="compose-service" data-service-name={service.name}>
          <Cell>
            <Choose service={service} selection={selection} />
          </Cell>
          <Cell>
            <ServiceName service={service} />
            <div className="mt-2 max-w-3xl">
              <ServiceFindings service={service} />
            </div>
          </Cell>
          <Cell>
            <ActionBadge service={service} />
          </Cell>
          <Cell className="max-w-64 font-mono text-xs wrap-anywhere text-muted">
            {service.spec?.image ?? "—"}
          </Cell>
          <Cell className="text-right tabular-nums">{service.spec?.replicas ?? "—"}</Cell>
          <Cell className="font-mono text-xs wrap-anywhere text-muted">{portsOf(service)}</Cell>
        </tr>
      ))}
    </Table>
  );
}

function ServiceCard({ service, selection }: { service: TServicePreview; selection: TSelection }) {
  return (
    <li
      data-testid="compose-service"
      data-service-name={service.name}
      className="space-y-2 px-4 py-3"
    >
      <div className="flex items-start gap-3">
        <Choose service={service} selection={selection} />
        <div className="min-w-0 flex-1">
          <ServiceName service={service} />
        </div>
        <ActionBadge service={service} />
      </div>
      {service.spec ? (
        <dl className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-4 gap-y-1 text-xs">
          <dt className="text-muted">Image</dt>
          <dd className="font-mono wrap-anywhere">{service.spec.image}</dd>
          <dt className="text-muted">Replicas</dt>
          <dd className="tabular-nums">{service.spec.replicas}</dd>
          <dt className="text-muted">Ports</dt>
          <dd className="font-mono wrap-anywhere">{portsOf(service)}</dd>
        </dl>
      ) : null}
      <ServiceFindings service={service} />
    </li>
  );
}

/** Each service of the file: what importing it would do, and what it would leave out. */
export function ComposePreviewList({
  services,
  selection,
}: {
  services: readonly TServicePreview[];
  selection: TSelection;
}) {
  const isWide = useMediaQuery(TABLE_QUERY);
  if (isWide) {
    return <ServiceTable services={services} selection={selection} />;
  }

  return (
    <ul className="divide-y divide-line">
      {services.map((service) => (
        <ServiceCard key={service.key} service={service} selection={selection} />
      ))}
    </ul>
  );
}
