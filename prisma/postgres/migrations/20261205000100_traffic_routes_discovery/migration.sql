-- CreateTable
CREATE TABLE "TrafficRoute" (
    "id" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "apiId" TEXT NOT NULL,
    "host" TEXT NOT NULL DEFAULT '',
    "pathPrefix" TEXT NOT NULL DEFAULT '',
    "gatewayRoute" TEXT NOT NULL DEFAULT '',
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TrafficRoute_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DiscoveredApi" (
    "id" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "pathPrefix" TEXT NOT NULL,
    "firstSeenAt" TIMESTAMP(3) NOT NULL,
    "lastSeenAt" TIMESTAMP(3) NOT NULL,
    "calls" BIGINT NOT NULL DEFAULT 0,
    "failures" BIGINT NOT NULL DEFAULT 0,
    "methods" TEXT NOT NULL DEFAULT '[]',
    "paths" TEXT NOT NULL DEFAULT '[]',
    "callers" TEXT NOT NULL DEFAULT '[]',
    "status" TEXT NOT NULL DEFAULT 'NEW',
    "reason" TEXT NOT NULL DEFAULT '',
    "apiId" TEXT,
    "decidedById" TEXT,
    "decidedAt" TIMESTAMP(3),
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "DiscoveredApi_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "TrafficRoute_apiId_idx" ON "TrafficRoute"("apiId");

-- CreateIndex
CREATE UNIQUE INDEX "TrafficRoute_teamId_host_pathPrefix_gatewayRoute_key" ON "TrafficRoute"("teamId", "host", "pathPrefix", "gatewayRoute");

-- CreateIndex
CREATE INDEX "DiscoveredApi_status_lastSeenAt_idx" ON "DiscoveredApi"("status", "lastSeenAt");

-- CreateIndex
CREATE UNIQUE INDEX "DiscoveredApi_teamId_host_pathPrefix_key" ON "DiscoveredApi"("teamId", "host", "pathPrefix");
