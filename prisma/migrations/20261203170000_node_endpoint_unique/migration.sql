-- CreateIndex
CREATE UNIQUE INDEX "Node_endpoint_key" ON "Node"("endpoint");

