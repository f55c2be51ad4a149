import type { TRole } from "@/components/trpc/client";

export const ROLES: readonly TRole[] = ["viewer", "operator", "admin"];

export const ROLE_HINTS: Record<TRole, string> = {
  viewer: "reads everything, changes nothing",
  operator: "also manages nodes and apps",
  admin: "also manages users and API tokens",
};

export function RoleOptions() {
  return (
    <>
      {ROLES.map((role) => (
        <option key={role} value={role}>
          {role}
        </option>
      ))}
    </>
  );
}

export function isRole(value: string): value is TRole {
  return ROLES.some((role) => role === value);
}
