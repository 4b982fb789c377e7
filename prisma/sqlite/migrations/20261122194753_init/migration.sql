-- CreateTable
CREATE TABLE "Team" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "teamId" TEXT,
    "passwordHash" TEXT,
    "mustChangePassword" BOOLEAN NOT NULL DEFAULT false,
    "isActive" BOOLEAN NOT NULL DEFAULT true,
    "isDemo" BOOLEAN NOT NULL DEFAULT false,
    "failedSignIns" INTEGER NOT NULL DEFAULT 0,
    "lockedUntil" DATETIME,
    "lastSignInAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "User_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Api" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "businessFunction" TEXT NOT NULL DEFAULT '',
    "teamId" TEXT NOT NULL,
    "ownerId" TEXT,
    "lifecycle" TEXT NOT NULL,
    "environments" TEXT NOT NULL DEFAULT '[]',
    "exposure" TEXT NOT NULL,
    "partnerLinkPrivate" BOOLEAN NOT NULL DEFAULT false,
    "readsNonPublic" BOOLEAN,
    "modifiesData" BOOLEAN,
    "sensitivity" TEXT NOT NULL,
    "dataCategories" TEXT NOT NULL DEFAULT '',
    "authMethods" TEXT NOT NULL DEFAULT '',
    "authzModel" TEXT,
    "authzRoles" TEXT NOT NULL DEFAULT '',
    "centrallyLogged" BOOLEAN,
    "loggingDestination" TEXT NOT NULL DEFAULT '',
    "docsUrl" TEXT NOT NULL DEFAULT '',
    "repoUrl" TEXT NOT NULL DEFAULT '',
    "openapiUrl" TEXT NOT NULL DEFAULT '',
    "tags" TEXT NOT NULL DEFAULT '',
    "ism1818" TEXT NOT NULL DEFAULT 'CANNOT_JUDGE',
    "ism1817" TEXT NOT NULL DEFAULT 'CANNOT_JUDGE',
    "ism1910" TEXT NOT NULL DEFAULT 'CANNOT_JUDGE',
    "ism2013" TEXT NOT NULL DEFAULT 'CANNOT_JUDGE',
    "ism2014" TEXT NOT NULL DEFAULT 'CANNOT_JUDGE',
    "ism2015" TEXT NOT NULL DEFAULT 'CANNOT_JUDGE',
    "hasWarning" BOOLEAN NOT NULL DEFAULT false,
    "searchText" TEXT NOT NULL DEFAULT '',
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdById" TEXT,
    "updatedAt" DATETIME NOT NULL,
    "updatedById" TEXT,
    "deletedAt" DATETIME,
    "deletedById" TEXT,
    CONSTRAINT "Api_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Api_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AuditEntry" (
    "seq" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "at" DATETIME NOT NULL,
    "actorId" TEXT,
    "actorEmail" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "targetType" TEXT NOT NULL,
    "targetId" TEXT NOT NULL,
    "summary" TEXT NOT NULL DEFAULT '',
    "diff" TEXT NOT NULL,
    "ip" TEXT NOT NULL DEFAULT '',
    "prevHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "SignInEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "email" TEXT NOT NULL,
    "userId" TEXT,
    "success" BOOLEAN NOT NULL,
    "reason" TEXT NOT NULL DEFAULT '',
    "ip" TEXT NOT NULL DEFAULT '',
    "userAgent" TEXT NOT NULL DEFAULT ''
);

-- CreateTable
CREATE TABLE "IsmCatalog" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "release" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "lastModified" TEXT NOT NULL,
    "oscalVersion" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "isCurrent" BOOLEAN NOT NULL DEFAULT false,
    "importedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "importedById" TEXT
);

-- CreateTable
CREATE TABLE "IsmControl" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "catalogId" TEXT NOT NULL,
    "controlId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "statement" TEXT NOT NULL,
    "revision" TEXT NOT NULL DEFAULT '',
    "updated" TEXT NOT NULL DEFAULT '',
    "applicability" TEXT NOT NULL DEFAULT '',
    "section" TEXT NOT NULL DEFAULT '',
    CONSTRAINT "IsmControl_catalogId_fkey" FOREIGN KEY ("catalogId") REFERENCES "IsmCatalog" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "Team_name_key" ON "Team"("name");

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- CreateIndex
CREATE INDEX "User_teamId_idx" ON "User"("teamId");

-- CreateIndex
CREATE INDEX "Api_deletedAt_name_idx" ON "Api"("deletedAt", "name");

-- CreateIndex
CREATE INDEX "Api_deletedAt_updatedAt_idx" ON "Api"("deletedAt", "updatedAt");

-- CreateIndex
CREATE INDEX "Api_deletedAt_teamId_idx" ON "Api"("deletedAt", "teamId");

-- CreateIndex
CREATE INDEX "Api_deletedAt_exposure_idx" ON "Api"("deletedAt", "exposure");

-- CreateIndex
CREATE INDEX "Api_deletedAt_sensitivity_idx" ON "Api"("deletedAt", "sensitivity");

-- CreateIndex
CREATE INDEX "Api_deletedAt_lifecycle_idx" ON "Api"("deletedAt", "lifecycle");

-- CreateIndex
CREATE INDEX "Api_ownerId_idx" ON "Api"("ownerId");

-- CreateIndex
CREATE UNIQUE INDEX "AuditEntry_prevHash_key" ON "AuditEntry"("prevHash");

-- CreateIndex
CREATE UNIQUE INDEX "AuditEntry_hash_key" ON "AuditEntry"("hash");

-- CreateIndex
CREATE INDEX "AuditEntry_targetType_targetId_idx" ON "AuditEntry"("targetType", "targetId");

-- CreateIndex
CREATE INDEX "AuditEntry_action_at_idx" ON "AuditEntry"("action", "at");

-- CreateIndex
CREATE INDEX "SignInEvent_success_at_idx" ON "SignInEvent"("success", "at");

-- CreateIndex
CREATE INDEX "SignInEvent_email_at_idx" ON "SignInEvent"("email", "at");

-- CreateIndex
CREATE UNIQUE INDEX "IsmCatalog_sha256_key" ON "IsmCatalog"("sha256");

-- CreateIndex
CREATE UNIQUE INDEX "IsmControl_catalogId_controlId_key" ON "IsmControl"("catalogId", "controlId");
