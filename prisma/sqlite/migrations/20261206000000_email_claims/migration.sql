-- AlterTable
ALTER TABLE "Notification" ADD COLUMN "emailClaimedAt" DATETIME;
