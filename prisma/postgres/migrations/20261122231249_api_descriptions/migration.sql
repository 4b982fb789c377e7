-- AlterTable
ALTER TABLE "Api" ADD COLUMN     "specAnonReads" INTEGER,
ADD COLUMN     "specAnonWrites" INTEGER;

-- CreateTable
CREATE TABLE "ApiDescription" (
    "apiId" TEXT NOT NULL,
    "fileSha256" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "dialect" TEXT NOT NULL,
    "title" TEXT NOT NULL DEFAULT '',
    "source" TEXT NOT NULL,
    "sourceUrl" TEXT NOT NULL DEFAULT '',
    "operations" INTEGER NOT NULL,
    "writes" INTEGER NOT NULL,
    "anonWrites" INTEGER NOT NULL,
    "anonReads" INTEGER NOT NULL,
    "uploadedById" TEXT,
    "scannedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ApiDescription_pkey" PRIMARY KEY ("apiId")
);

-- AddForeignKey
ALTER TABLE "ApiDescription" ADD CONSTRAINT "ApiDescription_apiId_fkey" FOREIGN KEY ("apiId") REFERENCES "Api"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApiDescription" ADD CONSTRAINT "ApiDescription_fileSha256_fkey" FOREIGN KEY ("fileSha256") REFERENCES "StoredFile"("sha256") ON DELETE RESTRICT ON UPDATE CASCADE;
