"use client";

import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import { createTRPCContext } from "@trpc/tanstack-react-query";

import type { AppRouter } from "@/server/api/root";

/** The typed tRPC hooks every page uses: `useTRPC()` for options, `useTRPCClient()` for calls. */
export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

export type TRouterOutputs = inferRouterOutputs<AppRouter>;
export type TRouterInputs = inferRouterInputs<AppRouter>;

export type TNodeView = TRouterOutputs["node"]["find"][number];
export type TNodeDetail = TRouterOutputs["node"]["get"];
export type TContainerView = TNodeDetail["containers"][number];
export type TEventView = TRouterOutputs["event"]["find"][number];
export type TEventFilter = TRouterInputs["event"]["find"];
export type TMe = TRouterOutputs["user"]["me"];
export type TRole = TMe["role"];
export type TUserView = TRouterOutputs["user"]["find"][number];
export type TTokenView = TRouterOutputs["token"]["find"][number];
export type TAppSummary = TRouterOutputs["app"]["find"][number];
export type TAppView = TRouterOutputs["app"]["get"];
export type TRevisionView = TRouterOutputs["app"]["revisions"][number];
export type TDryRunView = TRouterOutputs["app"]["dryRun"];
