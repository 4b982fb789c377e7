-- Ingestion speed: each event's receive time and batch are in its id (lib/events/event-id.ts), so the
-- columns that repeated them go, and so does the index on "at" alone (reads are per API).
/*
  Warnings:

  - You are about to drop the column `batchId` on the `AuthEvent` table. All the data in the column will be lost.
  - You are about to drop the column `receivedAt` on the `AuthEvent` table. All the data in the column will be lost.

*/
-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_AuthEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "at" DATETIME NOT NULL,
    "apiId" TEXT NOT NULL,
    "clientId" TEXT NOT NULL DEFAULT '',
    "principal" TEXT NOT NULL DEFAULT '',
    "outcome" TEXT NOT NULL,
    "sourceIp" TEXT NOT NULL DEFAULT '',
    "method" TEXT NOT NULL DEFAULT '',
    "route" TEXT NOT NULL DEFAULT ''
);
INSERT INTO "new_AuthEvent" ("apiId", "at", "clientId", "id", "method", "outcome", "principal", "route", "sourceIp") SELECT "apiId", "at", "clientId", "id", "method", "outcome", "principal", "route", "sourceIp" FROM "AuthEvent";
DROP TABLE "AuthEvent";
ALTER TABLE "new_AuthEvent" RENAME TO "AuthEvent";
CREATE INDEX "AuthEvent_apiId_at_idx" ON "AuthEvent"("apiId", "at");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
