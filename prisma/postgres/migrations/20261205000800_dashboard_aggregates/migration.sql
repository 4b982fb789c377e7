-- CreateTable
CREATE TABLE "AuthEventDayTotal" (
    "day" TIMESTAMP(3) NOT NULL,
    "outcome" TEXT NOT NULL,
    "count" BIGINT NOT NULL,

    CONSTRAINT "AuthEventDayTotal_pkey" PRIMARY KEY ("day","outcome")
);

-- CreateIndex
CREATE INDEX "Api_lifecycle_deletedAt_id_name_idx" ON "Api"("lifecycle", "deletedAt", "id", "name");

-- CreateIndex
CREATE INDEX "Api_deletedAt_sensitivity_exposure_ism1818_ism2013_ism1817__idx" ON "Api"("deletedAt", "sensitivity", "exposure", "ism1818", "ism2013", "ism1817", "ism2014", "ism1910", "ism2015", "ownerId", "authMethods");

-- CreateIndex
CREATE INDEX "ApiLastCall_apiId_lastAt_idx" ON "ApiLastCall"("apiId", "lastAt");

-- Backfill: the events kept so far, raw and rolled up, per UTC day and outcome.
INSERT INTO "AuthEventDayTotal" ("day", "outcome", "count")
SELECT "d", "outcome", SUM("n") FROM (
  SELECT date_trunc('day', "at") AS "d", "outcome", COUNT(*) AS "n" FROM "AuthEvent" GROUP BY 1, 2
  UNION ALL
  SELECT date_trunc('day', "day") AS "d", "outcome", SUM("count") AS "n" FROM "AuthEventDaily" GROUP BY 1, 2
) AS "events" GROUP BY "d", "outcome";
