-- "Action" meant five things, so the tracked work from reviews and incidents is now a follow-up (issue 13).
-- The rows are kept, and the table is rebuilt under its new name with its constraints named after it.
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "FollowUp" (
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
    CONSTRAINT "FollowUp_reviewId_fkey" FOREIGN KEY ("reviewId") REFERENCES "Review" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "FollowUp_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "FollowUp" ("completedAt", "completedNote", "createdAt", "description", "dueOn", "fromClientId", "id", "incidentId", "ownerId", "reviewId", "status", "updatedAt", "version") SELECT "completedAt", "completedNote", "createdAt", "description", "dueOn", "fromClientId", "id", "incidentId", "ownerId", "reviewId", "status", "updatedAt", "version" FROM "ReviewAction";
DROP TABLE "ReviewAction";
CREATE INDEX "FollowUp_ownerId_status_idx" ON "FollowUp"("ownerId", "status");
CREATE INDEX "FollowUp_incidentId_idx" ON "FollowUp"("incidentId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
