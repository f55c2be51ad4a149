import type { Prisma, PrismaClient } from "./generated/client";

/** The client or a transaction; services accept either so callers choose the boundary. */
export type TDb = PrismaClient | Prisma.TransactionClient;
