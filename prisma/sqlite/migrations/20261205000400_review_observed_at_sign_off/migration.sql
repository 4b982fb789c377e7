-- AlterTable
ALTER TABLE "Review" ADD COLUMN "observedAtSignOff" TEXT NOT NULL DEFAULT '';
