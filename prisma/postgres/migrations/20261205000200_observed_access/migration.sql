-- CreateTable
CREATE TABLE "ObservedAccess" (
    "apiId" TEXT NOT NULL,
    "clientId" TEXT NOT NULL,
    "firstAt" TIMESTAMP(3) NOT NULL,
    "lastAt" TIMESTAMP(3) NOT NULL,
    "lastSuccessAt" TIMESTAMP(3),
    "lastWriteAt" TIMESTAMP(3),
    "calls" BIGINT NOT NULL DEFAULT 0,
    "reads" BIGINT NOT NULL DEFAULT 0,
    "writes" BIGINT NOT NULL DEFAULT 0,
    "failures" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "ObservedAccess_pkey" PRIMARY KEY ("apiId","clientId")
);

-- What the raw events already say (events rolled up into daily counts before this are not in it).
INSERT INTO "ObservedAccess" ("apiId", "clientId", "firstAt", "lastAt", "lastSuccessAt", "lastWriteAt", "calls", "reads", "writes", "failures")
SELECT "apiId", "clientId", MIN("at"), MAX("at"),
  MAX(CASE WHEN "outcome" = 'success' THEN "at" END),
  MAX(CASE WHEN "outcome" = 'success' AND UPPER("method") IN ('POST', 'PUT', 'PATCH', 'DELETE') THEN "at" END),
  COUNT(*),
  SUM(CASE WHEN UPPER("method") IN ('GET', 'HEAD', 'OPTIONS') THEN 1 ELSE 0 END),
  SUM(CASE WHEN UPPER("method") IN ('POST', 'PUT', 'PATCH', 'DELETE') THEN 1 ELSE 0 END),
  SUM(CASE WHEN "outcome" = 'success' THEN 0 ELSE 1 END)
FROM "AuthEvent"
GROUP BY "apiId", "clientId";
