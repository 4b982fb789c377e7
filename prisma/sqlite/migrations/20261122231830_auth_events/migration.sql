-- CreateTable
CREATE TABLE "AuthEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "at" DATETIME NOT NULL,
    "apiId" TEXT NOT NULL,
    "clientId" TEXT NOT NULL DEFAULT '',
    "principal" TEXT NOT NULL DEFAULT '',
    "outcome" TEXT NOT NULL,
    "sourceIp" TEXT NOT NULL DEFAULT '',
    "method" TEXT NOT NULL DEFAULT '',
    "route" TEXT NOT NULL DEFAULT '',
    "receivedAt" DATETIME NOT NULL,
    "batchId" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "AuthEventDaily" (
    "apiId" TEXT NOT NULL,
    "day" DATETIME NOT NULL,
    "clientId" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "count" INTEGER NOT NULL,

    PRIMARY KEY ("apiId", "day", "clientId", "outcome")
);

-- CreateTable
CREATE TABLE "AuthAlertRule" (
    "apiId" TEXT NOT NULL PRIMARY KEY,
    "threshold" INTEGER NOT NULL,
    "windowMinutes" INTEGER NOT NULL
);

-- CreateTable
CREATE TABLE "AuthAlert" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "apiId" TEXT NOT NULL,
    "keyKind" TEXT NOT NULL,
    "keyValue" TEXT NOT NULL,
    "failures" INTEGER NOT NULL,
    "windowStart" DATETIME NOT NULL,
    "windowEnd" DATETIME NOT NULL,
    "raisedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "acknowledgedAt" DATETIME,
    "acknowledgedById" TEXT,
    "note" TEXT NOT NULL DEFAULT ''
);

-- CreateIndex
CREATE INDEX "AuthEvent_apiId_at_idx" ON "AuthEvent"("apiId", "at");

-- CreateIndex
CREATE INDEX "AuthEvent_apiId_clientId_at_idx" ON "AuthEvent"("apiId", "clientId", "at");

-- CreateIndex
CREATE INDEX "AuthEvent_at_idx" ON "AuthEvent"("at");

-- CreateIndex
CREATE INDEX "AuthAlert_apiId_raisedAt_idx" ON "AuthAlert"("apiId", "raisedAt");

-- CreateIndex
CREATE INDEX "AuthAlert_acknowledgedAt_idx" ON "AuthAlert"("acknowledgedAt");
