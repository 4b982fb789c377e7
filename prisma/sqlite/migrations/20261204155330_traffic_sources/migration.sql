-- CreateTable
CREATE TABLE "TrafficSource" (
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
    "version" INTEGER NOT NULL DEFAULT 1
);

-- CreateTable
CREATE TABLE "QuarantinedRecord" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "sourceId" TEXT NOT NULL,
    "receivedAt" DATETIME NOT NULL,
    "reason" TEXT NOT NULL,
    "record" TEXT NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "TrafficSource_name_key" ON "TrafficSource"("name");

-- CreateIndex
CREATE UNIQUE INDEX "TrafficSource_serviceAccountId_key" ON "TrafficSource"("serviceAccountId");

-- CreateIndex
CREATE INDEX "QuarantinedRecord_sourceId_receivedAt_idx" ON "QuarantinedRecord"("sourceId", "receivedAt");
