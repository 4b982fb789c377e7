-- CreateTable
CREATE TABLE "TrafficSource" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "profile" TEXT NOT NULL,
    "lenient" BOOLEAN NOT NULL DEFAULT true,
    "teamId" TEXT NOT NULL,
    "apiId" TEXT,
    "serviceAccountId" TEXT NOT NULL,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastReceivedAt" TIMESTAMP(3),
    "received" BIGINT NOT NULL DEFAULT 0,
    "stored" BIGINT NOT NULL DEFAULT 0,
    "quarantined" BIGINT NOT NULL DEFAULT 0,
    "unrouted" BIGINT NOT NULL DEFAULT 0,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "TrafficSource_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "QuarantinedRecord" (
    "id" TEXT NOT NULL,
    "sourceId" TEXT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL,
    "reason" TEXT NOT NULL,
    "record" TEXT NOT NULL,

    CONSTRAINT "QuarantinedRecord_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "TrafficSource_name_key" ON "TrafficSource"("name");

-- CreateIndex
CREATE UNIQUE INDEX "TrafficSource_serviceAccountId_key" ON "TrafficSource"("serviceAccountId");

-- CreateIndex
CREATE INDEX "QuarantinedRecord_sourceId_receivedAt_idx" ON "QuarantinedRecord"("sourceId", "receivedAt");
