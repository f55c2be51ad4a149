/**
 * What the log procedures take and give: lines of one replica, or of every replica of an app
 * merged in time order, each marked with its replica and node.
 */
import { z } from "zod";

export const LOG_STREAMS = ["stdout", "stderr"] as const;

export const ZLogLine = z.object({
  /** Unique within a stream of lines, for React keys and de-duplication. */
  key: z.string(),
  at: z.date(),
  appId: z.string(),
  replicaId: z.string(),
  slot: z.number().int(),
  nodeName: z.string(),
  stream: z.enum(LOG_STREAMS),
  line: z.string(),
});

export const ZLogTarget = z.strictObject({
  /** Every replica of the app, merged; or one replica when replicaId is given. */
  appId: z.uuid("must be an app id"),
  replicaId: z.uuid("must be a replica id").optional(),
});

export type TLogLine = z.infer<typeof ZLogLine>;
