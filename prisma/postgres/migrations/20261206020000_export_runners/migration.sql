-- AlterTable
ALTER TABLE "EvidenceExport" ADD COLUMN     "heartbeatAt" TIMESTAMP(3),
ADD COLUMN     "progress" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "runner" TEXT NOT NULL DEFAULT '';

-- CreateIndex
CREATE INDEX "EvidenceExport_status_heartbeatAt_idx" ON "EvidenceExport"("status", "heartbeatAt");
