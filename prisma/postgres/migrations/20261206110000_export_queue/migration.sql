-- AlterTable
ALTER TABLE "EvidenceExport" ADD COLUMN     "attempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "requestedFrom" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "tokenId" TEXT;

-- CreateIndex
CREATE INDEX "EvidenceExport_status_runner_createdAt_idx" ON "EvidenceExport"("status", "runner", "createdAt");
