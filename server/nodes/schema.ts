import { z } from "zod";

import { parseEndpoint } from "@/server/docker/endpoint";

export const MAX_LABELS = 64;
export const MAX_LABEL_VALUE = 256;
const MAX_PEM_BYTES = 64 * 1024;

/** A DNS label: what node and app names look like everywhere in Berth. */
export const ZName = z
  .string()
  .trim()
  .min(1, "is required")
  .max(63, "must be at most 63 characters")
  .regex(
    /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/,
    "use lowercase letters, digits and '-', starting and ending with a letter or digit",
  );

const ZLabelKey = z
  .string()
  .max(63, "label keys must be at most 63 characters")
  .regex(
    /^[a-z0-9]([a-z0-9._/-]*[a-z0-9])?$/,
    "label keys use lowercase letters, digits and . _ / -",
  );

const ZLabelValue = z
  .string()
  .max(MAX_LABEL_VALUE, `label values must be at most ${MAX_LABEL_VALUE} characters`)
  // Control characters would corrupt logs and terminals that show labels.
  .regex(/^[^\p{Cc}]*$/u, "label values cannot contain control characters");

export const ZLabels = z
  .record(ZLabelKey, ZLabelValue)
  .refine((labels) => Object.keys(labels).length <= MAX_LABELS, {
    message: `at most ${MAX_LABELS} labels`,
  });

const ZPem = (what: string) =>
  z
    .string()
    .max(MAX_PEM_BYTES, `the ${what} must be at most 64 KiB`)
    .regex(/-----BEGIN [A-Z0-9 ]+-----/, `paste the ${what} in PEM form (-----BEGIN ...)`);

export const ZTls = z.object({
  ca: ZPem("CA certificate"),
  cert: ZPem("client certificate"),
  key: ZPem("client key"),
});

const ZHost = z
  .string()
  .trim()
  .max(253, "must be at most 253 characters")
  .regex(/^[A-Za-z0-9.:-]+$/, "must be an IP address or host name");

export const ZNodeCreate = z
  .object({
    name: ZName,
    endpoint: z.string().trim().min(1, "is required").max(300, "must be at most 300 characters"),
    advertiseAddress: ZHost.optional(),
    tls: ZTls.optional(),
    labels: ZLabels.default({}),
  })
  .superRefine((input, ctx) => {
    const parsed = parseEndpoint(input.endpoint, input.tls !== undefined);
    if (!parsed.ok) {
      ctx.addIssue({ code: "custom", path: ["endpoint"], message: parsed.message });

      return;
    }
    if (parsed.endpoint.transport === "socket" && input.tls) {
      ctx.addIssue({ code: "custom", path: ["tls"], message: "TLS applies to tcp:// endpoints" });
    }
  });

export type TNodeCreate = z.infer<typeof ZNodeCreate>;

export const ZNodeId = z.object({ id: z.uuid("must be a node id") });

export const ZNodeUpdate = z.object({
  id: z.uuid("must be a node id"),
  labels: ZLabels.optional(),
  advertiseAddress: ZHost.optional(),
});

export const NODE_STATUSES = ["ready", "unreachable", "cordoned", "draining"] as const;
export type TNodeStatus = (typeof NODE_STATUSES)[number];

/** What a caller may see of a node: never the TLS key. */
export const ZNodeView = z.object({
  id: z.string(),
  name: z.string(),
  status: z.enum(NODE_STATUSES),
  health: z.enum(["ready", "unreachable"]),
  availability: z.enum(["active", "cordoned", "draining"]),
  transport: z.enum(["socket", "tcp", "tls"]),
  endpoint: z.string(),
  advertiseAddress: z.string(),
  hasTls: z.boolean(),
  labels: z.record(z.string(), z.string()),
  cpus: z.number(),
  memoryBytes: z.number(),
  engineVersion: z.string(),
  apiVersion: z.string(),
  os: z.string(),
  arch: z.string(),
  kernelVersion: z.string(),
  engineName: z.string(),
  lastHeartbeatAt: z.date().nullable(),
  lastError: z.string().nullable(),
  createdAt: z.date(),
});

export type TNodeView = z.infer<typeof ZNodeView>;

export const ZContainerView = z.object({
  id: z.string(),
  name: z.string(),
  image: z.string(),
  state: z.string(),
  status: z.string(),
  createdAt: z.date(),
  isBerth: z.boolean(),
  ports: z.array(
    z.object({
      privatePort: z.number(),
      publicPort: z.number().optional(),
      ip: z.string().optional(),
      type: z.string(),
    }),
  ),
});

export const ZNodeDetail = z.object({
  node: ZNodeView,
  containers: z.array(ZContainerView),
  containersError: z.string().nullable(),
});
