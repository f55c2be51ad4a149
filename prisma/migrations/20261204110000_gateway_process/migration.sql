-- CreateTable
CREATE TABLE "GatewayProcess" (
    "id" TEXT NOT NULL,
    "hostname" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "seenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "draining" JSONB NOT NULL DEFAULT '{}',
    "listenErrors" JSONB NOT NULL DEFAULT '[]',

    CONSTRAINT "GatewayProcess_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "GatewayProcess_seenAt_idx" ON "GatewayProcess"("seenAt");
