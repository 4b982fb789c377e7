-- AlterTable
ALTER TABLE "TrafficSource" ADD COLUMN "mapping" TEXT;
