-- CreateTable
CREATE TABLE "ApiVersion" (
    "seq" SERIAL NOT NULL,
    "apiId" TEXT NOT NULL,
    "validFrom" TIMESTAMP(3) NOT NULL,
    "auditHash" TEXT NOT NULL,
    "stateSha256" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "live" BOOLEAN NOT NULL DEFAULT true,
    "ism1818" "ControlStatus" NOT NULL DEFAULT 'CANNOT_JUDGE',
    "ism1817" "ControlStatus" NOT NULL DEFAULT 'CANNOT_JUDGE',
    "ism1910" "ControlStatus" NOT NULL DEFAULT 'CANNOT_JUDGE',
    "ism2013" "ControlStatus" NOT NULL DEFAULT 'CANNOT_JUDGE',
    "ism2014" "ControlStatus" NOT NULL DEFAULT 'CANNOT_JUDGE',
    "ism2015" "ControlStatus" NOT NULL DEFAULT 'CANNOT_JUDGE',

    CONSTRAINT "ApiVersion_pkey" PRIMARY KEY ("seq")
);

-- CreateIndex
CREATE INDEX "ApiVersion_apiId_validFrom_idx" ON "ApiVersion"("apiId", "validFrom");
