-- CreateTable
CREATE TABLE "AuthFailureMinute" (
    "apiId" TEXT NOT NULL,
    "keyKind" TEXT NOT NULL,
    "keyValue" TEXT NOT NULL,
    "minute" TIMESTAMP(3) NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "AuthFailureMinute_pkey" PRIMARY KEY ("apiId","keyKind","keyValue","minute")
);

-- CreateIndex
CREATE INDEX "AuthFailureMinute_minute_idx" ON "AuthFailureMinute"("minute");

-- The failures of the last 8 days per minute, from the raw events (lib/events/failure-minutes.ts keeps
-- them from now on). "at" is timestamp(3) holding UTC.
INSERT INTO "AuthFailureMinute" ("apiId", "keyKind", "keyValue", "minute", "count")
SELECT "apiId", 'client', "clientId", date_trunc('minute', "at"), COUNT(*)::int
FROM "AuthEvent"
WHERE "outcome" <> 'success' AND "clientId" <> '' AND "at" >= (now() AT TIME ZONE 'UTC') - interval '8 days'
GROUP BY "apiId", "clientId", date_trunc('minute', "at")
UNION ALL
SELECT "apiId", 'source', "sourceIp", date_trunc('minute', "at"), COUNT(*)::int
FROM "AuthEvent"
WHERE "outcome" <> 'success' AND "sourceIp" <> '' AND "at" >= (now() AT TIME ZONE 'UTC') - interval '8 days'
GROUP BY "apiId", "sourceIp", date_trunc('minute', "at");
