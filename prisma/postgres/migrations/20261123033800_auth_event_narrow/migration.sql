-- Ingestion speed: each event's receive time and batch are in its id (lib/events/event-id.ts), so the
-- columns that repeated them go, and so does the index on "at" alone (reads are per API).
/*
  Warnings:

  - You are about to drop the column `batchId` on the `AuthEvent` table. All the data in the column will be lost.
  - You are about to drop the column `receivedAt` on the `AuthEvent` table. All the data in the column will be lost.

*/
-- DropIndex
DROP INDEX "AuthEvent_at_idx";

-- AlterTable
ALTER TABLE "AuthEvent" DROP COLUMN "batchId",
DROP COLUMN "receivedAt";
