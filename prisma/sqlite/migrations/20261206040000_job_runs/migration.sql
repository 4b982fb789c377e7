-- CreateTable
CREATE TABLE "JobRun" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "lastStartedAt" DATETIME NOT NULL,
    "lastEndedAt" DATETIME NOT NULL,
    "lastOk" BOOLEAN NOT NULL,
    "lastSummary" TEXT NOT NULL,
    "lastRunner" TEXT NOT NULL,
    "runs" INTEGER NOT NULL DEFAULT 0,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "failingSince" DATETIME,
    "lastOkAt" DATETIME
);
