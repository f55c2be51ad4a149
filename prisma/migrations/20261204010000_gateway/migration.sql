-- AlterTable
ALTER TABLE "App" ADD COLUMN     "gatewayPort" INTEGER;

-- CreateTable
CREATE TABLE "GatewayStat" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "appId" UUID NOT NULL,
    "replicaId" UUID NOT NULL,
    "gateway" TEXT NOT NULL,
    "requestsPerSecond" DOUBLE PRECISION NOT NULL,
    "errorsPerSecond" DOUBLE PRECISION NOT NULL,
    "latencyP50Ms" DOUBLE PRECISION NOT NULL,
    "latencyP99Ms" DOUBLE PRECISION NOT NULL,
    "activeConnections" INTEGER NOT NULL,
    "isEjected" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "GatewayStat_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "GatewayStat_appId_at_idx" ON "GatewayStat"("appId", "at");

-- CreateIndex
CREATE INDEX "GatewayStat_replicaId_at_idx" ON "GatewayStat"("replicaId", "at");

-- CreateIndex
CREATE UNIQUE INDEX "App_gatewayPort_key" ON "App"("gatewayPort");

