-- CreateEnum
CREATE TYPE "ClientKind" AS ENUM ('SERVICE_ACCOUNT', 'APPLICATION', 'TEAM', 'USER');

-- CreateEnum
CREATE TYPE "CredentialType" AS ENUM ('CLIENT_CERTIFICATE', 'OAUTH_CLIENT', 'API_KEY', 'JWT', 'KERBEROS', 'PASSWORD', 'OTHER');

-- CreateTable
CREATE TABLE "ApiClient" (
    "id" TEXT NOT NULL,
    "apiId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "ClientKind" NOT NULL,
    "credentialType" "CredentialType" NOT NULL,
    "scopes" TEXT NOT NULL DEFAULT '',
    "canModify" BOOLEAN NOT NULL DEFAULT false,
    "approvedBy" TEXT NOT NULL DEFAULT '',
    "approvedAt" TIMESTAMP(3),
    "credentialIssuedAt" TIMESTAMP(3),
    "credentialExpiresAt" TIMESTAMP(3),
    "credentialRotatedAt" TIMESTAMP(3),
    "lastSeenAt" TIMESTAMP(3),
    "notes" TEXT NOT NULL DEFAULT '',
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ApiClient_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AppSetting" (
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AppSetting_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE UNIQUE INDEX "ApiClient_apiId_name_key" ON "ApiClient"("apiId", "name");

-- AddForeignKey
ALTER TABLE "ApiClient" ADD CONSTRAINT "ApiClient_apiId_fkey" FOREIGN KEY ("apiId") REFERENCES "Api"("id") ON DELETE CASCADE ON UPDATE CASCADE;
