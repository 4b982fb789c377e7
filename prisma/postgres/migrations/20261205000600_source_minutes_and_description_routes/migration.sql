-- AlterTable
ALTER TABLE "ApiDescription" ADD COLUMN     "routes" TEXT;

-- CreateTable
CREATE TABLE "TrafficSourceMinute" (
    "sourceId" TEXT NOT NULL,
    "minute" TIMESTAMP(3) NOT NULL,
    "received" INTEGER NOT NULL,
    "stored" INTEGER NOT NULL,
    "quarantined" INTEGER NOT NULL,
    "duplicates" INTEGER NOT NULL,

    CONSTRAINT "TrafficSourceMinute_pkey" PRIMARY KEY ("sourceId","minute")
);

-- CreateIndex
CREATE INDEX "TrafficSourceMinute_minute_idx" ON "TrafficSourceMinute"("minute");
