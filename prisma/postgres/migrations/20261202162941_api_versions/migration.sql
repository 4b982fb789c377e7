-- CreateTable
CREATE TABLE "ApiVersion" (
    "seq" SERIAL NOT NULL,
    "apiId" TEXT NOT NULL,
    "validFrom" TIMESTAMP(3) NOT NULL,
    "auditHash" TEXT NOT NULL,
    "stateSha256" TEXT NOT NULL,
    "state" TEXT NOT NULL,

    CONSTRAINT "ApiVersion_pkey" PRIMARY KEY ("seq")
);

-- CreateIndex
CREATE INDEX "ApiVersion_apiId_validFrom_idx" ON "ApiVersion"("apiId", "validFrom");
