-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_ReviewAction" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "reviewId" TEXT,
    "incidentId" TEXT,
    "description" TEXT NOT NULL,
    "ownerId" TEXT,
    "dueOn" DATETIME,
    "status" TEXT NOT NULL DEFAULT 'OPEN',
    "fromClientId" TEXT NOT NULL DEFAULT '',
    "completedAt" DATETIME,
    "completedNote" TEXT NOT NULL DEFAULT '',
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "ReviewAction_reviewId_fkey" FOREIGN KEY ("reviewId") REFERENCES "Review" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ReviewAction_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_ReviewAction" ("completedAt", "completedNote", "createdAt", "description", "dueOn", "fromClientId", "id", "ownerId", "reviewId", "status", "updatedAt", "version") SELECT "completedAt", "completedNote", "createdAt", "description", "dueOn", "fromClientId", "id", "ownerId", "reviewId", "status", "updatedAt", "version" FROM "ReviewAction";
DROP TABLE "ReviewAction";
ALTER TABLE "new_ReviewAction" RENAME TO "ReviewAction";
CREATE INDEX "ReviewAction_ownerId_status_idx" ON "ReviewAction"("ownerId", "status");
CREATE INDEX "ReviewAction_incidentId_idx" ON "ReviewAction"("incidentId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
