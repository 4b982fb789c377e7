-- AlterTable
ALTER TABLE "EvidenceExport" ADD COLUMN "heartbeatAt" DATETIME;
ALTER TABLE "EvidenceExport" ADD COLUMN "progress" TEXT NOT NULL DEFAULT '';
ALTER TABLE "EvidenceExport" ADD COLUMN "runner" TEXT NOT NULL DEFAULT '';

-- CreateIndex
CREATE INDEX "EvidenceExport_status_heartbeatAt_idx" ON "EvidenceExport"("status", "heartbeatAt");
