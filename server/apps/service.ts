/**
 * Apps' desired state: create, update, scale, roll back and remove apps, each change an
 * immutable revision written with its audit event in one transaction. Nothing here talks to
 * Docker; the reconciler that runs replicas reads what this writes.
 *
 * Secrets: a revision stores its spec with every secret masked, and the secrets record sealed
 * apart (AES-256-GCM). Full specs are opened only inside the server, to compare and diff;
 * every value returned is masked.
 *
 * Sections: 1 views, 2 stored specs, 3 reading, 4 changing, 5 removing.
 */
import { z } from "zod";

import type { TActor, TRole } from "@/server/auth/principal";
import { SYSTEM_ACTOR, hasRole } from "@/server/auth/principal";
import { publishChange } from "@/server/bus";
import type {
  App,
  Prisma,
  PrismaClient,
  ReplicaState,
  Revision,
  RevisionReason,
} from "@/server/db/generated/client";
import type { TDb } from "@/server/db/types";
import { env } from "@/server/env";
import { BerthError } from "@/server/errors";
import { announceEvent, recordEvent } from "@/server/events/service";
import { checkServicePortFree } from "@/server/gateway/port-check";
import { checkServicePort } from "@/server/gateway/routes";
import { open, seal, secretKey } from "@/server/security/secrets";

import { diffSpecs, formatDiff } from "./diff";
import {
  APP_STATUSES,
  ZRolloutView,
  appStatusOf,
  latestRollouts,
  readinessByApp,
  rolloutView,
} from "./status";
import {
  type TAppSpec,
  type TAppSpecView,
  ZAppSpec,
  ZAppSpecView,
  maskSecrets,
  restoreMaskedSecrets,
  usesBindMounts,
} from "./spec";

// ---------------------------------------------------------------------------------------------
// 1. Views: what callers may see (never a secret value, never the sealed record)
// ---------------------------------------------------------------------------------------------

export const REPLICA_STATES = [
  "pending",
  "placed",
  "starting",
  "running",
  "stopping",
  "stopped",
  "failed",
  "unplaced",
] as const satisfies readonly ReplicaState[];

export const REVISION_REASONS = [
  "create",
  "update",
  "scale",
  "rollback",
] as const satisfies readonly RevisionReason[];

const ZReplicaCounts = z.record(z.enum(REPLICA_STATES), z.number().int().min(0));

export const ZRevisionView = z.object({
  number: z.number().int(),
  reason: z.enum(REVISION_REASONS),
  createdByName: z.string(),
  createdAt: z.date(),
  image: z.string(),
  replicas: z.number().int(),
  isCurrent: z.boolean(),
});

export const ZAppSummary = z.object({
  id: z.string(),
  name: z.string(),
  image: z.string(),
  status: z.enum(APP_STATUSES),
  desiredReplicas: z.number().int(),
  readyReplicas: z.number().int(),
  /** Each replica's reservation, as the spec requests it. */
  cpuRequestMillis: z.number().int(),
  memoryRequestBytes: z.number().int(),
  revision: z.number().int(),
  replicaCounts: ZReplicaCounts,
  createdAt: z.date(),
  updatedAt: z.date(),
});

export const ZAppView = z.object({
  id: z.string(),
  name: z.string(),
  spec: ZAppSpecView,
  revision: ZRevisionView,
  status: z.enum(APP_STATUSES),
  readyReplicas: z.number().int(),
  isDeleting: z.boolean(),
  rollout: ZRolloutView.nullable(),
  replicaCounts: ZReplicaCounts,
  createdAt: z.date(),
  updatedAt: z.date(),
});

export const ZRevisionDiff = z.object({
  from: z.number().int(),
  to: z.number().int(),
  changes: z.array(
    z.object({
      path: z.string(),
      kind: z.enum(["added", "removed", "changed"]),
      text: z.string(),
    }),
  ),
});

export type TReplicaCounts = z.infer<typeof ZReplicaCounts>;
export type TRevisionView = z.infer<typeof ZRevisionView>;
export type TAppSummary = z.infer<typeof ZAppSummary>;
export type TAppView = z.infer<typeof ZAppView>;
export type TRevisionDiff = z.infer<typeof ZRevisionDiff>;

/** Who asks for a change: the actor goes in the audit log, the role decides bind mounts. */
export type TAuthor = { actor: TActor; role: TRole };

/** An app named by id, or by name as a spec file names it. */
export type TAppRef = { id: string } | { name: string };

// ---------------------------------------------------------------------------------------------
// 2. Stored specs: masked JSON plus a sealed secrets record
// ---------------------------------------------------------------------------------------------

const ZStoredSecrets = z.record(z.string(), z.string());

type TStoredSpec = { spec: Prisma.InputJsonValue; secretsSealed: string | null };

/** What a revision row holds for `spec`: the masked spec, and the secrets sealed apart. */
export function storedSpecOf(spec: TAppSpec): TStoredSpec {
  // JSON round trip: optional fields left undefined are dropped, as JSON columns need.
  const masked = JSON.parse(JSON.stringify(maskSecrets(spec))) as Prisma.InputJsonValue;
  const hasSecrets = Object.keys(spec.secrets).length > 0;
  const secretsSealed = hasSecrets ? seal(JSON.stringify(spec.secrets), secretKey()) : null;

  return { spec: masked, secretsSealed };
}

/** A revision's stored columns; the spec is read as unknown JSON and parsed. */
type TStoredRevision = { id: string; spec: unknown; secretsSealed?: string | null };

function parseStored(revision: TStoredRevision): TAppSpec {
  const parsed = ZAppSpec.safeParse(revision.spec);
  if (!parsed.success) {
    throw new BerthError("INTERNAL", `revision ${revision.id} holds a spec that no longer parses`);
  }

  return parsed.data;
}

/** The revision's spec with its secrets opened: for comparing on the server, never returned. */
export function fullSpecOf(revision: TStoredRevision): TAppSpec {
  const spec = parseStored(revision);
  const secrets = revision.secretsSealed
    ? ZStoredSecrets.parse(JSON.parse(open(revision.secretsSealed, secretKey())))
    : {};

  return { ...spec, secrets };
}

/** The revision's spec as anyone may see it. */
export function maskedSpecOf(revision: TStoredRevision): TAppSpecView {
  return maskSecrets(parseStored(revision));
}

// ---------------------------------------------------------------------------------------------
// 3. Reading
// ---------------------------------------------------------------------------------------------

type TAppWithRevision = App & { currentRevision: Revision | null };

function emptyCounts(): TReplicaCounts {
  return Object.fromEntries(REPLICA_STATES.map((state) => [state, 0])) as TReplicaCounts;
}

async function replicaCounts(db: TDb, appIds: string[]): Promise<Map<string, TReplicaCounts>> {
  const groups = await db.replica.groupBy({
    by: ["appId", "state"],
    where: { appId: { in: appIds } },
    _count: { _all: true },
  });
  const byApp = new Map(appIds.map((id) => [id, emptyCounts()]));
  for (const group of groups) {
    const counts = byApp.get(group.appId);
    if (counts) {
      counts[group.state] = group._count._all;
    }
  }

  return byApp;
}

function currentOf(app: TAppWithRevision): Revision {
  if (!app.currentRevision) {
    throw new BerthError("INTERNAL", `app ${app.name} has no current revision`);
  }

  return app.currentRevision;
}

function toRevisionView(revision: Revision, currentId: string | null): TRevisionView {
  const spec = parseStored(revision);

  return {
    number: revision.number,
    reason: revision.reason,
    createdByName: revision.createdByName,
    createdAt: revision.createdAt,
    image: spec.image,
    replicas: spec.replicas,
    isCurrent: revision.id === currentId,
  };
}

async function findApp(db: TDb, ref: TAppRef): Promise<TAppWithRevision> {
  const where = "id" in ref ? { id: ref.id } : { name: ref.name };
  const app = await db.app.findUnique({ where, include: { currentRevision: true } });
  if (!app) {
    const named = "name" in ref ? ` named ${ref.name}` : " with this id";
    throw new BerthError("NOT_FOUND", `No app${named}. It may have been removed.`);
  }

  return app;
}

/** Every app with its desired replicas and its replicas counted by state. */
export async function listApps(db: PrismaClient): Promise<TAppSummary[]> {
  const apps = await db.app.findMany({
    orderBy: { name: "asc" },
    include: { currentRevision: true },
  });
  const ids = apps.map((app) => app.id);
  const [counts, readiness, rollouts] = await Promise.all([
    replicaCounts(db, ids),
    readinessByApp(db, ids),
    latestRollouts(db, ids),
  ]);

  return apps.map((app) => {
    const revision = currentOf(app);
    const spec = parseStored(revision);
    const { ready, replicas } = readiness.get(app.id) ?? { ready: 0, replicas: 0 };
    const status = appStatusOf({
      desired: spec.replicas,
      ready,
      replicas,
      rolloutState: rollouts.get(app.id)?.state,
      isDeleting: app.deleteRequestedAt !== null,
    });

    return {
      id: app.id,
      name: app.name,
      image: spec.image,
      status,
      desiredReplicas: spec.replicas,
      readyReplicas: ready,
      cpuRequestMillis: spec.resources.cpuRequestMillis,
      memoryRequestBytes: spec.resources.memoryRequestBytes,
      revision: revision.number,
      replicaCounts: counts.get(app.id) ?? emptyCounts(),
      createdAt: app.createdAt,
      updatedAt: app.updatedAt,
    };
  });
}

async function toAppView(db: TDb, app: TAppWithRevision): Promise<TAppView> {
  const revision = currentOf(app);
  const spec = maskedSpecOf(revision);
  const [counts, readiness, rollout] = await Promise.all([
    replicaCounts(db, [app.id]),
    readinessByApp(db, [app.id]),
    rolloutView(db, app.id, spec.replicas),
  ]);
  const { ready, replicas } = readiness.get(app.id) ?? { ready: 0, replicas: 0 };
  const isDeleting = app.deleteRequestedAt !== null;

  return {
    id: app.id,
    name: app.name,
    spec,
    revision: toRevisionView(revision, app.currentRevisionId),
    status: appStatusOf({
      desired: spec.replicas,
      ready,
      replicas,
      rolloutState: rollout?.state,
      isDeleting,
    }),
    readyReplicas: ready,
    isDeleting,
    rollout,
    replicaCounts: counts.get(app.id) ?? emptyCounts(),
    createdAt: app.createdAt,
    updatedAt: app.updatedAt,
  };
}

/** One app with its current spec, secrets masked for everybody. */
export async function getApp(db: PrismaClient, ref: TAppRef): Promise<TAppView> {
  return toAppView(db, await findApp(db, ref));
}

/** Every revision of an app, newest first. */
export async function listRevisions(db: PrismaClient, id: string): Promise<TRevisionView[]> {
  const app = await findApp(db, { id });
  const revisions = await db.revision.findMany({
    where: { appId: id },
    orderBy: { number: "desc" },
  });

  return revisions.map((revision) => toRevisionView(revision, app.currentRevisionId));
}

async function findRevision(db: TDb, appId: string, number: number): Promise<Revision> {
  const revision = await db.revision.findUnique({ where: { appId_number: { appId, number } } });
  if (!revision) {
    throw new BerthError("NOT_FOUND", `This app has no revision ${number}. See its revisions.`);
  }

  return revision;
}

/** What changed from revision `from` to revision `to`, one line per change; secrets hidden. */
export async function diffRevisions(
  db: PrismaClient,
  appId: string,
  from: number,
  to: number,
): Promise<TRevisionDiff> {
  await findApp(db, { id: appId });
  const [a, b] = await Promise.all([findRevision(db, appId, from), findRevision(db, appId, to)]);
  // Full specs, so a changed secret shows as changed; formatDiff hides every secret value.
  const entries = diffSpecs(fullSpecOf(a), fullSpecOf(b));
  const lines = formatDiff(entries);
  const changes = entries.map((entry, index) => ({
    path: entry.path,
    kind: entry.kind,
    text: lines[index] ?? entry.path,
  }));

  return { from, to, changes };
}

// ---------------------------------------------------------------------------------------------
// 4. Changing: every change is a new revision and an event, in one transaction
// ---------------------------------------------------------------------------------------------

async function announceApp(appId: string, eventId: bigint): Promise<void> {
  await publishChange({ topic: "app", appId });
  await announceEvent(eventId);
}

/** Bind mounts give a container the node's files: only admins may set or bring them back. */
function checkBindMounts(spec: TAppSpec, author: TAuthor): void {
  if (usesBindMounts(spec) && !hasRole(author.role, "admin")) {
    throw new BerthError(
      "FORBIDDEN",
      "Bind mounts expose the node's files and need the admin role. Use a named volume, " +
        "or ask an admin.",
      { field: "volumes" },
    );
  }
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string }).code === "P2002";
}

/** A unique violation on App.gatewayPort: two apps asked for one port at the same moment. */
function isOnGatewayPort(error: unknown): boolean {
  return JSON.stringify((error as { meta?: unknown }).meta ?? {}).includes("gatewayPort");
}

function servicePortRace(spec: TAppSpec): BerthError {
  const message =
    `Port ${spec.lb?.servicePort} was just taken by another app. ` +
    "Pick another, or leave servicePort out to get a free one.";

  return new BerthError("CONFLICT", message, { field: "lb.servicePort" });
}

type TNewRevision = {
  app: App;
  spec: TAppSpec;
  reason: RevisionReason;
  author: TAuthor;
};

/** Inserts the next revision and makes it current. The caller holds the app's row lock. */
async function addRevision(tx: Prisma.TransactionClient, input: TNewRevision) {
  const last = await tx.revision.aggregate({
    where: { appId: input.app.id },
    _max: { number: true },
  });
  const revision = await tx.revision.create({
    data: {
      appId: input.app.id,
      number: (last._max.number ?? 0) + 1,
      ...storedSpecOf(input.spec),
      reason: input.reason,
      createdByName: input.author.actor.name,
    },
  });
  const app = await tx.app.update({
    where: { id: input.app.id },
    data: { currentRevisionId: revision.id },
    include: { currentRevision: true },
  });

  return { app, revision };
}

/** Creates an app and its revision 1. */
export async function createApp(
  db: PrismaClient,
  spec: TAppSpec,
  author: TAuthor,
): Promise<TAppView> {
  checkBindMounts(spec, author);
  const masked = restoreMaskedSecrets(spec, undefined);
  if (masked.missing.length > 0) {
    throw new BerthError("INVALID_INPUT", "Give the secret's value; the mask is not a value.", {
      field: `secrets.${masked.missing[0]}`,
    });
  }
  const { app, eventId } = await db
    .$transaction(async (tx) => {
      await checkGatewayPort(tx, undefined, spec);
      // The port is claimed with the app, so a second app cannot ask for it before a
      // gateway has stored it (App.gatewayPort is unique).
      const gatewayPort = spec.lb?.servicePort ?? null;
      const created = await tx.app.create({ data: { name: spec.name, gatewayPort } });
      const { app, revision } = await addRevision(tx, {
        app: created,
        spec,
        reason: "create",
        author,
      });
      const eventId = await recordEvent(tx, {
        kind: "app.created",
        message: `app ${app.name} created (${spec.image}, ${spec.replicas} replicas)`,
        actor: author.actor,
        appId: app.id,
        data: { revision: revision.number },
      });

      return { app, eventId };
    })
    .catch((error: unknown) => {
      if (isUniqueViolation(error) && isOnGatewayPort(error)) {
        throw servicePortRace(spec);
      }
      throw isUniqueViolation(error)
        ? new BerthError("CONFLICT", `An app named ${spec.name} exists. Pick another name.`, {
            field: "name",
          })
        : error;
    });
  await announceApp(app.id, eventId);

  return toAppView(db, app);
}

/**
 * A service port the spec asks for must be in the gateway's range, no other app's, and not
 * held by another process where a gateway of this host binds.
 */
async function checkGatewayPort(
  tx: TDb,
  app: { id: string; gatewayPort: number | null } | undefined,
  spec: TAppSpec,
) {
  const port = spec.lb?.servicePort;
  if (port !== undefined) {
    const { BERTH_GATEWAY_PORTS, BERTH_ROLES, BERTH_GATEWAY_ADDRESS } = env();
    await checkServicePort(tx, app?.id, port, BERTH_GATEWAY_PORTS);
    const self = { isGateway: BERTH_ROLES.includes("gateway"), address: BERTH_GATEWAY_ADDRESS };
    await checkServicePortFree(tx, app, port, self);
  }
}

/** Berth itself, e.g. rolling back a failed update; may restore what an admin once set. */
export const SYSTEM_AUTHOR: TAuthor = { actor: SYSTEM_ACTOR, role: "admin" };

type TChange = {
  reason: Exclude<RevisionReason, "create">;
  /** A rollout made by Berth itself (an automatic rollback). */
  isAutomatic?: boolean;
  kind: string;
  /** The next full spec, from the current one; throws to refuse. */
  next: (
    current: TAppSpec,
    currentNumber: number,
    tx: Prisma.TransactionClient,
  ) => Promise<TAppSpec> | TAppSpec;
  /** Refused when the next spec equals the current one; the message says why. */
  noOpMessage: string;
  describe: (app: App, spec: TAppSpec, number: number) => string;
};

/**
 * Applies one change to an app under its row lock, so two concurrent changes number their
 * revisions one after the other instead of colliding.
 */
async function changeApp(
  db: PrismaClient,
  ref: TAppRef,
  author: TAuthor,
  change: TChange,
): Promise<TAppView> {
  const { app, eventId } = await db.$transaction(async (tx) => {
    const locked = await findApp(tx, ref);
    await tx.$queryRaw`SELECT 1 FROM "App" WHERE "id" = ${locked.id}::uuid FOR UPDATE`;
    // Re-read under the lock: another change may have committed since the first read.
    const before = await findApp(tx, { id: locked.id });
    if (before.deleteRequestedAt) {
      throw new BerthError("CONFLICT", `App ${before.name} is being deleted: it cannot change.`);
    }
    const current = currentOf(before);
    const currentSpec = fullSpecOf(current);
    const spec = await change.next(currentSpec, current.number, tx);
    await checkGatewayPort(tx, before, spec);
    const servicePort = spec.lb?.servicePort;
    if (servicePort !== undefined && servicePort !== before.gatewayPort) {
      await tx.app.update({ where: { id: before.id }, data: { gatewayPort: servicePort } });
    }
    const lines = formatDiff(diffSpecs(currentSpec, spec));
    if (lines.length === 0) {
      throw new BerthError("CONFLICT", change.noOpMessage);
    }
    const { app, revision } = await addRevision(tx, {
      app: before,
      spec,
      reason: change.reason,
      author,
    });
    if (change.reason !== "scale") {
      await startRollout(tx, app.id, { from: current, to: revision }, change.isAutomatic);
    }
    const eventId = await recordEvent(tx, {
      kind: change.kind,
      message: change.describe(app, spec, revision.number),
      actor: author.actor,
      appId: app.id,
      data: { revision: revision.number, from: current.number, changes: lines },
    });

    return { app, eventId };
  });
  await announceApp(app.id, eventId);

  return toAppView(db, app);
}

/**
 * Gives an app a new spec as a new revision. Secrets sent back as the mask keep their stored
 * values; a spec that changes nothing is refused.
 */
export async function updateApp(
  db: PrismaClient,
  ref: TAppRef,
  spec: TAppSpec,
  author: TAuthor,
): Promise<TAppView> {
  checkBindMounts(spec, author);

  return changeApp(db, ref, author, {
    reason: "update",
    kind: "app.updated",
    next: (current) => {
      if (spec.name !== current.name) {
        throw new BerthError(
          "INVALID_INPUT",
          `Apps cannot be renamed: this one is ${current.name}. Create a new app instead.`,
          { field: "name" },
        );
      }
      const restored = restoreMaskedSecrets(spec, current);
      if (restored.missing.length > 0) {
        throw new BerthError("INVALID_INPUT", "This secret is new: give its value, not the mask.", {
          field: `secrets.${restored.missing[0]}`,
        });
      }

      return restored.spec;
    },
    noOpMessage: "Nothing changed: the spec is the same as the current revision's.",
    describe: (app, _spec, number) => `app ${app.name} updated to revision ${number}`,
  });
}

/**
 * Sets an app's replica count as a new revision (reason `scale`). Asking for the count it
 * already has changes nothing and writes nothing.
 */
export async function scaleApp(
  db: PrismaClient,
  id: string,
  replicas: number,
  author: TAuthor,
): Promise<TAppView> {
  const app = await findApp(db, { id });
  if (parseStored(currentOf(app)).replicas === replicas) {
    return toAppView(db, app);
  }

  return changeApp(db, { id }, author, {
    reason: "scale",
    kind: "app.scaled",
    next: (current) => ({ ...current, replicas }),
    noOpMessage: `The app already has ${replicas} replicas.`,
    describe: (app, _spec, number) =>
      `app ${app.name} scaled to ${replicas} replicas (revision ${number})`,
  });
}

/**
 * A rollout from one revision to the next: a rollout still running for the app is superseded
 * by it (its replicas are replaced like any old ones).
 */
async function startRollout(
  tx: Prisma.TransactionClient,
  appId: string,
  { from, to }: { from: Revision; to: Revision },
  isAutomatic = false,
): Promise<void> {
  await tx.rollout.updateMany({
    where: { appId, state: "progressing" },
    data: {
      state: "superseded",
      finishedAt: new Date(),
      message: `superseded by revision ${to.number}`,
    },
  });
  await tx.rollout.create({
    data: {
      appId,
      fromRevisionId: from.id,
      fromNumber: from.number,
      toRevisionId: to.id,
      toNumber: to.number,
      isAutomatic,
    },
  });
}

/** Makes a new revision that copies revision `toNumber`'s spec, secrets included. */
export async function rollbackApp(
  db: PrismaClient,
  id: string,
  toNumber: number,
  author: TAuthor,
  { isAutomatic = false } = {},
): Promise<TAppView> {
  return changeApp(db, { id }, author, {
    reason: "rollback",
    isAutomatic,
    kind: "app.rolledBack",
    next: async (_current, currentNumber, tx) => {
      const target = fullSpecOf(await findRevision(tx, id, toNumber));
      // Rolling back may bring back a bind mount an admin since removed.
      checkBindMounts(target, author);
      if (toNumber === currentNumber) {
        throw new BerthError("CONFLICT", `Revision ${toNumber} is already the current one.`);
      }

      return target;
    },
    noOpMessage: `Revision ${toNumber} has the current spec already: nothing to roll back.`,
    describe: (app, _spec, number) =>
      `app ${app.name} rolled back to revision ${toNumber}'s spec (revision ${number})`,
  });
}

// ---------------------------------------------------------------------------------------------
// 5. Removing
// ---------------------------------------------------------------------------------------------

/**
 * Deletes an app: at once when it has no replicas, else marks it for deletion; the reconciler
 * then stops its replicas and calls finishDeleteApp.
 */
export async function deleteApp(db: PrismaClient, id: string, actor: TActor): Promise<void> {
  const app = await findApp(db, { id });
  const eventId = await db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT 1 FROM "App" WHERE "id" = ${id}::uuid FOR UPDATE`;
    const replicas = await tx.replica.count({ where: { appId: id } });
    if (replicas > 0) {
      await tx.app.update({ where: { id }, data: { deleteRequestedAt: new Date() } });

      return recordEvent(tx, {
        kind: "app.deleteRequested",
        message: `app ${app.name} is being deleted: stopping its ${replicas} replica(s)`,
        actor,
        appId: id,
        data: { name: app.name, replicas },
      });
    }

    return removeAppRows(tx, app, actor);
  });
  await announceApp(id, eventId);
}

/** Removes an app marked for deletion once its last replica is gone; else does nothing. */
export async function finishDeleteApp(db: PrismaClient, id: string): Promise<void> {
  const eventId = await db.$transaction(async (tx) => {
    const app = await tx.app.findUnique({ where: { id }, include: { currentRevision: true } });
    if (!app?.deleteRequestedAt) {
      return undefined;
    }
    await tx.$queryRaw`SELECT 1 FROM "App" WHERE "id" = ${id}::uuid FOR UPDATE`;
    if ((await tx.replica.count({ where: { appId: id } })) > 0) {
      return undefined;
    }

    return removeAppRows(tx, app, SYSTEM_ACTOR);
  });
  if (eventId) {
    await announceApp(id, eventId);
  }
}

async function removeAppRows(tx: Prisma.TransactionClient, app: App, actor: TActor) {
  // The app points at its current revision and revisions at the app: unlink, then delete.
  await tx.app.update({ where: { id: app.id }, data: { currentRevisionId: null } });
  await tx.revision.deleteMany({ where: { appId: app.id } });
  await tx.app.delete({ where: { id: app.id } });

  return recordEvent(tx, {
    kind: "app.deleted",
    message: `app ${app.name} deleted`,
    actor,
    appId: app.id,
    data: { name: app.name },
  });
}
