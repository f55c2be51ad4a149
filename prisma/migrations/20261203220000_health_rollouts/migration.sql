-- CreateEnum
CREATE TYPE "ReplicaHealth" AS ENUM ('none', 'starting', 'healthy', 'unhealthy');

-- CreateEnum
CREATE TYPE "RolloutState" AS ENUM ('progressing', 'succeeded', 'failed', 'superseded');

-- AlterEnum
BEGIN;
CREATE TYPE "ReplicaState_new" AS ENUM ('pending', 'placed', 'starting', 'running', 'stopping', 'stopped', 'failed', 'unplaced');
ALTER TABLE "Replica" ALTER COLUMN "state" DROP DEFAULT;
ALTER TABLE "Replica" ALTER COLUMN "state" TYPE "ReplicaState_new" USING ("state"::text::"ReplicaState_new");
ALTER TYPE "ReplicaState" RENAME TO "ReplicaState_old";
ALTER TYPE "ReplicaState_new" RENAME TO "ReplicaState";
DROP TYPE "ReplicaState_old";
ALTER TABLE "Replica" ALTER COLUMN "state" SET DEFAULT 'pending';
COMMIT;

-- AlterTable
ALTER TABLE "App" ADD COLUMN     "deleteRequestedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Replica" ADD COLUMN     "health" "ReplicaHealth" NOT NULL DEFAULT 'none',
ADD COLUMN     "healthMessage" TEXT,
ADD COLUMN     "moveToNodeId" UUID,
ADD COLUMN     "pinnedNodeId" UUID,
ADD COLUMN     "startedAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "Rollout" (
    "id" UUID NOT NULL,
    "appId" UUID NOT NULL,
    "fromRevisionId" UUID,
    "fromNumber" INTEGER,
    "toRevisionId" UUID NOT NULL,
    "toNumber" INTEGER NOT NULL,
    "state" "RolloutState" NOT NULL DEFAULT 'progressing',
    "message" TEXT,
    "isAutomatic" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "Rollout_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Rollout_toRevisionId_key" ON "Rollout"("toRevisionId");

-- CreateIndex
CREATE INDEX "Rollout_appId_createdAt_idx" ON "Rollout"("appId", "createdAt");

-- AddForeignKey
ALTER TABLE "Rollout" ADD CONSTRAINT "Rollout_appId_fkey" FOREIGN KEY ("appId") REFERENCES "App"("id") ON DELETE CASCADE ON UPDATE CASCADE;

