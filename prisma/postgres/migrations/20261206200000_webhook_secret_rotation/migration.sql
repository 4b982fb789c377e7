-- AlterTable
ALTER TABLE "Webhook" ADD COLUMN     "previousSecret" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "previousUntil" TIMESTAMP(3);


