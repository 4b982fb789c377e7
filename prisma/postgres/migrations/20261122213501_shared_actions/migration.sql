-- AlterTable
ALTER TABLE "ReviewAction" ADD COLUMN     "incidentId" TEXT,
ALTER COLUMN "reviewId" DROP NOT NULL;

-- CreateIndex
CREATE INDEX "ReviewAction_incidentId_idx" ON "ReviewAction"("incidentId");

-- AddForeignKey
ALTER TABLE "ReviewAction" ADD CONSTRAINT "ReviewAction_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident"("id") ON DELETE CASCADE ON UPDATE CASCADE;
