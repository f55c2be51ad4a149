import type { ReactNode } from "react";

import { Chip } from "@/components/ui/badge";
import type { TAppView } from "@/components/trpc/client";
import { describeBytes, describeMillicores } from "@/server/apps/spec";

type TSpec = TAppView["spec"];

function Row({ term, children }: { term: string; children: ReactNode }) {
  return (
    <>
      <dt className="text-muted">{term}</dt>
      <dd className="min-w-0 wrap-anywhere">{children}</dd>
    </>
  );
}

function Chips({ items, empty }: { items: string[]; empty: string }) {
  if (items.length === 0) {
    return <span className="text-muted">{empty}</span>;
  }

  return (
    <span className="flex flex-wrap gap-1">
      {items.map((item) => (
        <Chip key={item}>{item}</Chip>
      ))}
    </span>
  );
}

function portsOf(spec: TSpec): string[] {
  return spec.ports.map((port) => {
    const inside = `${port.containerPort}/${port.protocol}`;

    return port.hostPort === undefined ? inside : `${port.hostPort}→${inside}`;
  });
}

function resourcesOf(spec: TSpec): string {
  const { resources } = spec;
  const cpu = describeMillicores(resources.cpuRequestMillis);
  const memory = describeBytes(resources.memoryRequestBytes);
  const limits = [
    resources.cpuLimitMillis === undefined
      ? null
      : `${describeMillicores(resources.cpuLimitMillis)} limit`,
    resources.memoryLimitBytes === undefined
      ? null
      : `${describeBytes(resources.memoryLimitBytes)} limit`,
  ].filter((limit) => limit !== null);

  return [`${cpu}, ${memory} requested`, ...limits].join("; ");
}

function constraintsOf(spec: TSpec): string[] {
  return spec.placement.constraints.map((constraint) =>
    constraint.operator === "in"
      ? `${constraint.key} in ${constraint.values.join(",")}`
      : `${constraint.key}${constraint.operator}${constraint.value}`,
  );
}

/** The current revision's spec as facts; secrets arrive masked and show only their names. */
export function SpecSummary({ spec }: { spec: TSpec }) {
  const { placement } = spec;
  const env = Object.entries(spec.env).map(([name, value]) => `${name}=${value}`);
  const secrets = Object.entries(spec.secrets).map(([name, mask]) => `${name}=${mask}`);
  const command = [...spec.command, ...spec.args].join(" ");

  return (
    <dl className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-4 gap-y-2 text-sm">
      <Row term="Image">
        <span className="font-mono text-xs">{spec.image}</span>
      </Row>
      {command ? (
        <Row term="Command">
          <span className="font-mono text-xs">{command}</span>
        </Row>
      ) : null}
      <Row term="Ports">
        <Chips items={portsOf(spec)} empty="none" />
      </Row>
      <Row term="Resources">{resourcesOf(spec)}</Row>
      <Row term="Placement">
        {placement.strategy}
        {placement.maxPerNode === undefined ? "" : `, at most ${placement.maxPerNode} per node`}
        {placement.spreadBy === undefined ? "" : `, spread by ${placement.spreadBy}`}
      </Row>
      <Row term="Constraints">
        <Chips items={constraintsOf(spec)} empty="none" />
      </Row>
      {placement.antiAffinity.length > 0 ? (
        <Row term="Avoids">
          <Chips items={placement.antiAffinity} empty="none" />
        </Row>
      ) : null}
      <Row term="Env">
        <Chips items={env} empty="none" />
      </Row>
      <Row term="Secrets">
        <Chips items={secrets} empty="none" />
      </Row>
      <Row term="Volumes">
        <Chips
          items={spec.volumes.map((volume) =>
            volume.kind === "bind"
              ? `${volume.hostPath}:${volume.mountPath}`
              : `${volume.name}:${volume.mountPath}`,
          )}
          empty="none"
        />
      </Row>
    </dl>
  );
}
