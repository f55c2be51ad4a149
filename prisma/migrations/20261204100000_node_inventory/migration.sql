-- AlterTable
ALTER TABLE "Node" ADD COLUMN     "foreignHostPorts" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "images" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "inventoryAt" TIMESTAMP(3);
