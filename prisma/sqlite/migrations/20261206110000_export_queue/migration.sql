-- AlterTable
ALTER TABLE "EvidenceExport" ADD COLUMN "tokenId" TEXT;
ALTER TABLE "EvidenceExport" ADD COLUMN "requestedFrom" TEXT NOT NULL DEFAULT '';
ALTER TABLE "EvidenceExport" ADD COLUMN "attempts" INTEGER NOT NULL DEFAULT 0;

-- CreateIndex
CREATE INDEX "EvidenceExport_status_runner_createdAt_idx" ON "EvidenceExport"("status", "runner", "createdAt");
