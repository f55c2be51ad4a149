import type { Role } from "@/server/db/generated/client";

export type TRole = Role;

/** Who is calling: a signed-in user or an API token acting with its own role. */
export type TPrincipal =
  | { kind: "user"; userId: string; name: string; role: TRole; sessionId: string }
  | { kind: "token"; tokenId: string; name: string; role: TRole; userId: string };

/** The author of a change, as written in the audit log. */
export type TActor = { type: "user" | "token" | "system"; id?: string; name: string };

const RANK: Record<TRole, number> = { viewer: 0, operator: 1, admin: 2 };

/** True when `role` is at least `needed` (admin ⊇ operator ⊇ viewer). */
export function hasRole(role: TRole, needed: TRole): boolean {
  return RANK[role] >= RANK[needed];
}

export function actorOf(principal: TPrincipal): TActor {
  if (principal.kind === "user") {
    return { type: "user", id: principal.userId, name: principal.name };
  }

  return { type: "token", id: principal.tokenId, name: `token:${principal.name}` };
}

export const SYSTEM_ACTOR: TActor = { type: "system", name: "berth" };
