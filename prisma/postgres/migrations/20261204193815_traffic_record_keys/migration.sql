-- AlterTable
ALTER TABLE "TrafficSource" ADD COLUMN     "duplicates" BIGINT NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "TrafficRecordKey" (
    "sourceId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "day" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TrafficRecordKey_pkey" PRIMARY KEY ("sourceId","key")
);

-- CreateIndex
CREATE INDEX "TrafficRecordKey_sourceId_day_idx" ON "TrafficRecordKey"("sourceId", "day");
