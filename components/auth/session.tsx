"use client";

import { type ReactNode, createContext, useContext } from "react";

import type { TMe, TRole } from "@/components/trpc/client";

const RANK: Record<TRole, number> = { viewer: 0, operator: 1, admin: 2 };

/** True when `role` is at least `needed` (admin ⊇ operator ⊇ viewer), as the server checks. */
export function canAct(role: TRole, needed: TRole): boolean {
  return RANK[role] >= RANK[needed];
}

const SessionContext = createContext<TMe | null>(null);

export function SessionProvider({ me, children }: { me: TMe; children: ReactNode }) {
  return <SessionContext.Provider value={me}>{children}</SessionContext.Provider>;
}

/** Who is signed in; only inside the console, below the auth guard. */
export function useSession(): TMe {
  const me = useContext(SessionContext);
  if (!me) {
    throw new Error("useSession needs the console's auth guard above it");
  }

  return me;
}

/** Whether the signed-in user may do what needs `role`; hides or disables change buttons. */
export function useCan(role: TRole): boolean {
  return canAct(useSession().role, role);
}
