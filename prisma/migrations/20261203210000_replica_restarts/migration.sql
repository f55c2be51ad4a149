-- AlterTable
ALTER TABLE "Replica" ADD COLUMN     "restartAt" TIMESTAMP(3),
ADD COLUMN     "restartCount" INTEGER NOT NULL DEFAULT 0;

