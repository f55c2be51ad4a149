"use client";

import { TextField } from "@/components/ui/field";

import { NUMBER_INPUT, type TSectionProps, bindText } from "./section-props";

/** What the scheduler reserves for each replica, and the caps the kernel enforces. */
export function ResourcesSection(props: TSectionProps) {
  return (
    <div className="grid gap-4 sm:grid-cols-2">
      <TextField
        label="CPU request (millicores)"
        hint="Reserved on the node for each replica; 1000 is one CPU."
        {...NUMBER_INPUT}
        {...bindText(props, "cpuRequestMillis", "resources.cpuRequestMillis")}
      />
      <TextField
        label="CPU limit (millicores, optional)"
        hint="A hard cap; empty lets the replica use idle CPU."
        {...NUMBER_INPUT}
        {...bindText(props, "cpuLimitMillis", "resources.cpuLimitMillis")}
      />
      <TextField
        label="Memory request (MiB)"
        hint="Reserved on the node for each replica."
        {...NUMBER_INPUT}
        {...bindText(props, "memoryRequestMib", "resources.memoryRequestBytes")}
      />
      <TextField
        label="Memory limit (MiB, optional)"
        hint="Above it the kernel kills the replica; empty means no limit."
        {...NUMBER_INPUT}
        {...bindText(props, "memoryLimitMib", "resources.memoryLimitBytes")}
      />
    </div>
  );
}
