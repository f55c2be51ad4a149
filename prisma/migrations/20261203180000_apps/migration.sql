-- CreateEnum
CREATE TYPE "RevisionReason" AS ENUM ('create', 'update', 'scale', 'rollback');

-- CreateEnum
CREATE TYPE "ReplicaState" AS ENUM ('pending', 'placed', 'starting', 'running', 'unhealthy', 'stopping', 'stopped', 'failed', 'unplaced');

-- AlterTable
ALTER TABLE "Event" ADD COLUMN     "appId" UUID;

-- CreateTable
CREATE TABLE "App" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "currentRevisionId" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "App_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Revision" (
    "id" UUID NOT NULL,
    "appId" UUID NOT NULL,
    "number" INTEGER NOT NULL,
    "spec" JSONB NOT NULL,
    "secretsSealed" TEXT,
    "reason" "RevisionReason" NOT NULL,
    "createdByName" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Revision_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Replica" (
    "id" UUID NOT NULL,
    "appId" UUID NOT NULL,
    "revisionId" UUID NOT NULL,
    "slot" INTEGER NOT NULL,
    "nodeId" UUID,
    "state" "ReplicaState" NOT NULL DEFAULT 'pending',
    "containerId" TEXT,
    "lastError" TEXT,
    "explanation" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Replica_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "App_name_key" ON "App"("name");

-- CreateIndex
CREATE UNIQUE INDEX "App_currentRevisionId_key" ON "App"("currentRevisionId");

-- CreateIndex
CREATE UNIQUE INDEX "Revision_appId_number_key" ON "Revision"("appId", "number");

-- CreateIndex
CREATE INDEX "Replica_appId_idx" ON "Replica"("appId");

-- CreateIndex
CREATE INDEX "Replica_nodeId_idx" ON "Replica"("nodeId");

-- CreateIndex
CREATE INDEX "Replica_revisionId_idx" ON "Replica"("revisionId");

-- CreateIndex
CREATE INDEX "Event_appId_idx" ON "Event"("appId");

-- AddForeignKey
ALTER TABLE "App" ADD CONSTRAINT "App_currentRevisionId_fkey" FOREIGN KEY ("currentRevisionId") REFERENCES "Revision"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Revision" ADD CONSTRAINT "Revision_appId_fkey" FOREIGN KEY ("appId") REFERENCES "App"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Replica" ADD CONSTRAINT "Replica_appId_fkey" FOREIGN KEY ("appId") REFERENCES "App"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Replica" ADD CONSTRAINT "Replica_revisionId_fkey" FOREIGN KEY ("revisionId") REFERENCES "Revision"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Replica" ADD CONSTRAINT "Replica_nodeId_fkey" FOREIGN KEY ("nodeId") REFERENCES "Node"("id") ON DELETE SET NULL ON UPDATE CASCADE;

