-- CreateEnum
CREATE TYPE "RepackState" AS ENUM ('running', 'succeeded', 'failed', 'cancelled');

-- AlterTable
ALTER TABLE "Replica" ADD COLUMN     "progress" TEXT;

-- CreateTable
CREATE TABLE "Repack" (
    "id" UUID NOT NULL,
    "state" "RepackState" NOT NULL DEFAULT 'running',
    "moves" JSONB NOT NULL,
    "nodesFreed" JSONB NOT NULL,
    "nodesBefore" INTEGER NOT NULL,
    "nodesAfter" INTEGER NOT NULL,
    "message" TEXT,
    "createdByName" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "Repack_pkey" PRIMARY KEY ("id")
);

