-- DropIndex
DROP INDEX "Api_deletedAt_lifecycle_idx";

-- DropIndex
DROP INDEX "Api_deletedAt_sensitivity_idx";

-- DropIndex
DROP INDEX "Api_deletedAt_exposure_idx";

-- DropIndex
DROP INDEX "Api_deletedAt_teamId_idx";

-- DropIndex
DROP INDEX "Api_deletedAt_updatedAt_idx";

-- DropIndex
DROP INDEX "Api_deletedAt_name_idx";

-- CreateIndex
CREATE INDEX "Api_name_id_idx" ON "Api"("name", "id");

-- CreateIndex
CREATE INDEX "Api_updatedAt_id_idx" ON "Api"("updatedAt", "id");

-- CreateIndex
CREATE INDEX "Api_createdAt_id_idx" ON "Api"("createdAt", "id");

-- CreateIndex
CREATE INDEX "Api_exposure_id_idx" ON "Api"("exposure", "id");

-- CreateIndex
CREATE INDEX "Api_sensitivity_id_idx" ON "Api"("sensitivity", "id");

-- CreateIndex
CREATE INDEX "Api_lifecycle_id_idx" ON "Api"("lifecycle", "id");

-- CreateIndex
CREATE INDEX "Api_teamId_idx" ON "Api"("teamId");
