/**
 * Compose import: `preview` reads a Compose file and says, per service, what would be created
 * or updated and what is left out; `import` creates or updates the chosen services as apps.
 *
 * Both are operator mutations: a file of up to 1 MiB does not fit in a query's URL, and only
 * operators may import what the preview shows.
 */
import { z } from "zod";

import {
  MAX_COMPOSE_BYTES,
  MAX_COMPOSE_SERVICES,
  type TComposeService,
  checkComposeService,
  keepCurrentFields,
  parseCompose,
} from "@/server/apps/compose";
import * as apps from "@/server/apps/service";
import {
  type TAppSpec,
  ZAppSpecView,
  describeBytes,
  maskSecrets,
  usesBindMounts,
} from "@/server/apps/spec";
import { type TActor, type TPrincipal, hasRole } from "@/server/auth/principal";
import type { PrismaClient } from "@/server/db/generated/client";
import { BerthError, isBerthError } from "@/server/errors";

import { createTRPCRouter, operatorProcedure } from "../trpc";

const ZComposeText = z
  .string({ error: "must be the text of a Compose file" })
  .max(MAX_COMPOSE_BYTES, `must be at most ${describeBytes(MAX_COMPOSE_BYTES)}`);

const ZEntry = z.object({ path: z.string(), reason: z.string() });

const ZServicePreview = z.object({
  key: z.string(),
  name: z.string(),
  action: z.enum(["create", "update"]),
  /** The spec that would be stored, secrets masked; null when the service has errors. */
  spec: ZAppSpecView.nullable(),
  fieldErrors: z.record(z.string(), z.array(z.string())).nullable(),
  unsupported: z.array(ZEntry),
  notes: z.array(ZEntry),
});

const ZPreview = z.object({
  services: z.array(ZServicePreview),
  unsupported: z.array(ZEntry),
  notes: z.array(ZEntry),
});

const ZImportOutcome = z.object({
  key: z.string(),
  name: z.string(),
  action: z.enum(["create", "update"]),
  ok: z.boolean(),
  appId: z.string().nullable(),
  revision: z.number().int().nullable(),
  error: z.string().nullable(),
});

export type TComposePreview = z.infer<typeof ZPreview>;
export type TComposeOutcome = z.infer<typeof ZImportOutcome>;

type TCaller = { db: PrismaClient; actor: TActor; principal: TPrincipal };

const BIND_MOUNTS_NEED_ADMIN =
  "Bind mounts expose the node's files and need the admin role. Use a named volume, or ask " +
  "an admin.";

function parseOrRefuse(text: string) {
  const parsed = parseCompose(text);
  if (!parsed.ok) {
    throw new BerthError("INVALID_INPUT", parsed.message, { field: "text" });
  }

  return parsed.file;
}

/** The current specs of the apps the file names, by name. */
async function existingApps(db: PrismaClient, services: TComposeService[]) {
  const names = [...new Set(services.map((service) => service.name))];
  const found = await db.app.findMany({ where: { name: { in: names } }, select: { id: true } });
  const views = await Promise.all(found.map((app) => apps.getApp(db, { id: app.id })));

  return new Map(views.map((view) => [view.name, view]));
}

type TPlan = {
  service: TComposeService;
  existing: apps.TAppView | undefined;
  spec: TAppSpec | null;
  fieldErrors: Record<string, string[]> | null;
  notes: { path: string; reason: string }[];
};

/** Each service checked as the caller would import it: spec or errors, and what it keeps. */
async function planServices(caller: TCaller, services: TComposeService[]): Promise<TPlan[]> {
  const existing = await existingApps(caller.db, services);
  const isAdmin = hasRole(caller.principal.role, "admin");

  return services.map((service) => {
    const current = existing.get(service.name);
    const check = checkComposeService(service);
    const notes = [...service.notes];
    if (!check.spec) {
      return { service, existing: current, spec: null, fieldErrors: check.fieldErrors, notes };
    }
    if (usesBindMounts(check.spec) && !isAdmin) {
      const fieldErrors = { volumes: [BIND_MOUNTS_NEED_ADMIN] };

      return { service, existing: current, spec: null, fieldErrors, notes };
    }
    if (!current) {
      return { service, existing: current, spec: check.spec, fieldErrors: null, notes };
    }
    const merged = keepCurrentFields(check.spec, current.spec);
    const kept = merged.kept.join(", ");
    const reason = `keeps the app's ${kept} from revision ${current.revision.number}`;
    notes.push({ path: `services.${service.key}`, reason });

    return { service, existing: current, spec: merged.spec, fieldErrors: null, notes };
  });
}

async function importOne(caller: TCaller, plan: TPlan): Promise<TComposeOutcome> {
  const { service, existing } = plan;
  const action = existing ? "update" : "create";
  const base = { key: service.key, name: service.name, action } as const;
  if (!plan.spec) {
    const errors = Object.entries(plan.fieldErrors ?? {}).map(
      ([path, messages]) => `${path}: ${messages[0] ?? ""}`,
    );
    const error = `Not imported: ${errors.slice(0, 3).join("; ")}`;

    return { ...base, ok: false, appId: null, revision: null, error };
  }
  const author = { actor: caller.actor, role: caller.principal.role };
  try {
    const app = existing
      ? await apps.updateApp(caller.db, { id: existing.id }, plan.spec, author)
      : await apps.createApp(caller.db, plan.spec, author);

    return { ...base, ok: true, appId: app.id, revision: app.revision.number, error: null };
  } catch (error) {
    if (!isBerthError(error)) {
      throw error;
    }

    return {
      ...base,
      ok: false,
      appId: existing?.id ?? null,
      revision: null,
      error: error.message,
    };
  }
}

export const composeRouter = createTRPCRouter({
  /** What importing the file would do, per service; nothing is written. */
  preview: operatorProcedure
    .input(z.strictObject({ text: ZComposeText }))
    .output(ZPreview)
    .mutation(async ({ ctx, input }) => {
      const file = parseOrRefuse(input.text);
      const plans = await planServices(ctx, file.services);

      return {
        services: plans.map((plan) => ({
          key: plan.service.key,
          name: plan.service.name,
          action: plan.existing ? ("update" as const) : ("create" as const),
          spec: plan.spec ? maskSecrets(plan.spec) : null,
          fieldErrors: plan.fieldErrors,
          unsupported: plan.service.unsupported,
          notes: plan.notes,
        })),
        unsupported: file.unsupported,
        notes: file.notes,
      };
    }),

  /**
   * Creates or updates (as a new revision) each chosen service, one after the other; a service
   * that fails is reported and changes nothing, and the others still go ahead.
   */
  import: operatorProcedure
    .input(
      z.strictObject({
        text: ZComposeText,
        services: z
          .array(z.string().max(256))
          .min(1, "choose at least one service")
          .max(MAX_COMPOSE_SERVICES, `at most ${MAX_COMPOSE_SERVICES} services`),
      }),
    )
    .output(z.array(ZImportOutcome))
    .mutation(async ({ ctx, input }) => {
      const file = parseOrRefuse(input.text);
      const chosen = new Set(input.services);
      const missing = input.services.find((key) => !file.services.some((s) => s.key === key));
      if (missing !== undefined) {
        throw new BerthError("INVALID_INPUT", `The file has no service ${missing}.`, {
          field: "services",
        });
      }
      const plans = await planServices(
        ctx,
        file.services.filter((service) => chosen.has(service.key)),
      );
      const outcomes: TComposeOutcome[] = [];
      for (const plan of plans) {
        outcomes.push(await importOne(ctx, plan));
      }

      return outcomes;
    }),
});
