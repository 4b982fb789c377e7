-- CreateTable
CREATE TABLE "TrafficRecordKey" (
    "sourceId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "day" DATETIME NOT NULL,

    PRIMARY KEY ("sourceId", "key")
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_TrafficSource" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "profile" TEXT NOT NULL,
    "lenient" BOOLEAN NOT NULL DEFAULT true,
    "teamId" TEXT NOT NULL,
    "apiId" TEXT,
    "serviceAccountId" TEXT NOT NULL,
    "createdById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastReceivedAt" DATETIME,
    "received" BIGINT NOT NULL DEFAULT 0,
    "stored" BIGINT NOT NULL DEFAULT 0,
    "quarantined" BIGINT NOT NULL DEFAULT 0,
    "unrouted" BIGINT NOT NULL DEFAULT 0,
    "duplicates" BIGINT NOT NULL DEFAULT 0,
    "version" INTEGER NOT NULL DEFAULT 1
);
INSERT INTO "new_TrafficSource" ("apiId", "createdAt", "createdById", "id", "lastReceivedAt", "lenient", "name", "profile", "quarantined", "received", "serviceAccountId", "stored", "teamId", "unrouted", "version") SELECT "apiId", "createdAt", "createdById", "id", "lastReceivedAt", "lenient", "name", "profile", "quarantined", "received", "serviceAccountId", "stored", "teamId", "unrouted", "version" FROM "TrafficSource";
DROP TABLE "TrafficSource";
ALTER TABLE "new_TrafficSource" RENAME TO "TrafficSource";
CREATE UNIQUE INDEX "TrafficSource_name_key" ON "TrafficSource"("name");
CREATE UNIQUE INDEX "TrafficSource_serviceAccountId_key" ON "TrafficSource"("serviceAccountId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "TrafficRecordKey_sourceId_day_idx" ON "TrafficRecordKey"("sourceId", "day");
