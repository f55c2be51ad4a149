-- AlterTable
ALTER TABLE "Replica" ADD COLUMN     "hostPorts" JSONB NOT NULL DEFAULT '[]';

