-- CreateTable
CREATE TABLE "ApiVersion" (
    "seq" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "apiId" TEXT NOT NULL,
    "validFrom" DATETIME NOT NULL,
    "auditHash" TEXT NOT NULL,
    "stateSha256" TEXT NOT NULL,
    "state" TEXT NOT NULL
);

-- CreateIndex
CREATE INDEX "ApiVersion_apiId_validFrom_idx" ON "ApiVersion"("apiId", "validFrom");
