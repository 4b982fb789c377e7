-- CreateTable
CREATE TABLE "AuthFailureMinute" (
    "apiId" TEXT NOT NULL,
    "keyKind" TEXT NOT NULL,
    "keyValue" TEXT NOT NULL,
    "minute" DATETIME NOT NULL,
    "count" INTEGER NOT NULL,

    PRIMARY KEY ("apiId", "keyKind", "keyValue", "minute")
);

-- CreateIndex
CREATE INDEX "AuthFailureMinute_minute_idx" ON "AuthFailureMinute"("minute");

-- The failures of the last 8 days per minute, from the raw events (lib/events/failure-minutes.ts keeps
-- them from now on). Dates are Prisma's text "YYYY-MM-DDTHH:MM:SS.mmm+00:00".
INSERT INTO "AuthFailureMinute" ("apiId", "keyKind", "keyValue", "minute", "count")
SELECT "apiId", 'client', "clientId", substr("at", 1, 16) || ':00.000+00:00', COUNT(*)
FROM "AuthEvent"
WHERE "outcome" <> 'success' AND "clientId" <> '' AND "at" >= strftime('%Y-%m-%dT%H:%M:%S.000+00:00', 'now', '-8 days')
GROUP BY "apiId", "clientId", substr("at", 1, 16)
UNION ALL
SELECT "apiId", 'source', "sourceIp", substr("at", 1, 16) || ':00.000+00:00', COUNT(*)
FROM "AuthEvent"
WHERE "outcome" <> 'success' AND "sourceIp" <> '' AND "at" >= strftime('%Y-%m-%dT%H:%M:%S.000+00:00', 'now', '-8 days')
GROUP BY "apiId", "sourceIp", substr("at", 1, 16);
