-- CreateTable
CREATE TABLE "AuthEventDayTotal" (
    "day" DATETIME NOT NULL,
    "outcome" TEXT NOT NULL,
    "count" BIGINT NOT NULL,

    PRIMARY KEY ("day", "outcome")
);

-- CreateIndex
CREATE INDEX "Api_lifecycle_deletedAt_id_name_idx" ON "Api"("lifecycle", "deletedAt", "id", "name");

-- CreateIndex
CREATE INDEX "Api_deletedAt_sensitivity_exposure_ism1818_ism2013_ism1817_ism2014_ism1910_ism2015_ownerId_authMethods_idx" ON "Api"("deletedAt", "sensitivity", "exposure", "ism1818", "ism2013", "ism1817", "ism2014", "ism1910", "ism2015", "ownerId", "authMethods");

-- CreateIndex
CREATE INDEX "ApiLastCall_apiId_lastAt_idx" ON "ApiLastCall"("apiId", "lastAt");

-- Backfill: the events kept so far, raw and rolled up, per UTC day and outcome (in Prisma's "+00:00" form).
INSERT INTO "AuthEventDayTotal" ("day", "outcome", "count")
SELECT "d" || 'T00:00:00.000+00:00', "outcome", SUM("n") FROM (
  SELECT substr("at", 1, 10) AS "d", "outcome", COUNT(*) AS "n" FROM "AuthEvent" GROUP BY 1, 2
  UNION ALL
  SELECT substr("day", 1, 10) AS "d", "outcome", SUM("count") AS "n" FROM "AuthEventDaily" GROUP BY 1, 2
) GROUP BY "d", "outcome";
