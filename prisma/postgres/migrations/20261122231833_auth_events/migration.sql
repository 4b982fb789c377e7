-- CreateTable
CREATE TABLE "AuthEvent" (
    "id" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "apiId" TEXT NOT NULL,
    "clientId" TEXT NOT NULL DEFAULT '',
    "principal" TEXT NOT NULL DEFAULT '',
    "outcome" TEXT NOT NULL,
    "sourceIp" TEXT NOT NULL DEFAULT '',
    "method" TEXT NOT NULL DEFAULT '',
    "route" TEXT NOT NULL DEFAULT '',
    "receivedAt" TIMESTAMP(3) NOT NULL,
    "batchId" TEXT NOT NULL,

    CONSTRAINT "AuthEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuthEventDaily" (
    "apiId" TEXT NOT NULL,
    "day" TIMESTAMP(3) NOT NULL,
    "clientId" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "AuthEventDaily_pkey" PRIMARY KEY ("apiId","day","clientId","outcome")
);

-- CreateTable
CREATE TABLE "AuthAlertRule" (
    "apiId" TEXT NOT NULL,
    "threshold" INTEGER NOT NULL,
    "windowMinutes" INTEGER NOT NULL,

    CONSTRAINT "AuthAlertRule_pkey" PRIMARY KEY ("apiId")
);

-- CreateTable
CREATE TABLE "AuthAlert" (
    "id" TEXT NOT NULL,
    "apiId" TEXT NOT NULL,
    "keyKind" TEXT NOT NULL,
    "keyValue" TEXT NOT NULL,
    "failures" INTEGER NOT NULL,
    "windowStart" TIMESTAMP(3) NOT NULL,
    "windowEnd" TIMESTAMP(3) NOT NULL,
    "raisedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "acknowledgedAt" TIMESTAMP(3),
    "acknowledgedById" TEXT,
    "note" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "AuthAlert_pkey" PRIMARY KEY ("id")
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
