-- CreateEnum
CREATE TYPE "TriageKind" AS ENUM ('ACCEPTED_RISK', 'FALSE_POSITIVE');

-- CreateEnum
CREATE TYPE "TriageStatus" AS ENUM ('PENDING', 'APPROVED', 'REJECTED', 'WITHDRAWN', 'EXPIRED');

-- AlterTable
ALTER TABLE "Api" ADD COLUMN     "specAcceptedReads" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "specAcceptedWrites" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "FindingTriage" (
    "id" TEXT NOT NULL,
    "apiId" TEXT NOT NULL,
    "rule" TEXT NOT NULL,
    "pointer" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "kind" "TriageKind" NOT NULL,
    "reason" TEXT NOT NULL,
    "requestedById" TEXT,
    "requestedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "approverId" TEXT NOT NULL,
    "expiresOn" TIMESTAMP(3) NOT NULL,
    "status" "TriageStatus" NOT NULL DEFAULT 'PENDING',
    "decidedAt" TIMESTAMP(3),
    "decisionNote" TEXT NOT NULL DEFAULT '',
    "closedById" TEXT,
    "closedAt" TIMESTAMP(3),
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "FindingTriage_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "FindingTriage_apiId_status_idx" ON "FindingTriage"("apiId", "status");

-- CreateIndex
CREATE INDEX "FindingTriage_approverId_status_idx" ON "FindingTriage"("approverId", "status");

-- CreateIndex
CREATE INDEX "FindingTriage_status_expiresOn_idx" ON "FindingTriage"("status", "expiresOn");

-- AddForeignKey
ALTER TABLE "FindingTriage" ADD CONSTRAINT "FindingTriage_apiId_fkey" FOREIGN KEY ("apiId") REFERENCES "Api"("id") ON DELETE CASCADE ON UPDATE CASCADE;
