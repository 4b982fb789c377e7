-- CreateTable
CREATE TABLE "ApiLastCall" (
    "apiId" TEXT NOT NULL PRIMARY KEY,
    "lastAt" DATETIME NOT NULL,
    CONSTRAINT "ApiLastCall_apiId_fkey" FOREIGN KEY ("apiId") REFERENCES "Api" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "ApiLastCall_lastAt_idx" ON "ApiLastCall"("lastAt");

-- Backfill: the latest call of each API from the callers' rows kept so far.
INSERT INTO "ApiLastCall" ("apiId", "lastAt")
SELECT "apiId", MAX("lastAt") FROM "ObservedAccess"
WHERE "apiId" IN (SELECT "id" FROM "Api")
GROUP BY "apiId";
