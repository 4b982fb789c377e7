-- CreateTable
CREATE TABLE "FindingTriage" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "apiId" TEXT NOT NULL,
    "rule" TEXT NOT NULL,
    "pointer" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "requestedById" TEXT,
    "requestedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "approverId" TEXT NOT NULL,
    "expiresOn" DATETIME NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'PENDING',
    "decidedAt" DATETIME,
    "decisionNote" TEXT NOT NULL DEFAULT '',
    "closedById" TEXT,
    "closedAt" DATETIME,
    "version" INTEGER NOT NULL DEFAULT 1,
    CONSTRAINT "FindingTriage_apiId_fkey" FOREIGN KEY ("apiId") REFERENCES "Api" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Api" (
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
    "specAnonWrites" INTEGER,
    "specAnonReads" INTEGER,
    "specAcceptedWrites" INTEGER NOT NULL DEFAULT 0,
    "specAcceptedReads" INTEGER NOT NULL DEFAULT 0,
    "searchText" TEXT NOT NULL DEFAULT '',
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdById" TEXT,
    "updatedAt" DATETIME NOT NULL,
    "updatedById" TEXT,
    "deletedAt" DATETIME,
    "deletedById" TEXT,
    "lifecycleRank" INTEGER NOT NULL DEFAULT 0,
    "exposureRank" INTEGER NOT NULL DEFAULT 0,
    "sensitivityRank" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "Api_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Api_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Api" ("authMethods", "authzModel", "authzRoles", "businessFunction", "centrallyLogged", "createdAt", "createdById", "dataCategories", "deletedAt", "deletedById", "docsUrl", "environments", "exposure", "exposureRank", "hasWarning", "id", "ism1817", "ism1818", "ism1910", "ism2013", "ism2014", "ism2015", "lifecycle", "lifecycleRank", "loggingDestination", "modifiesData", "name", "openapiUrl", "ownerId", "partnerLinkPrivate", "purpose", "readsNonPublic", "repoUrl", "searchText", "sensitivity", "sensitivityRank", "specAnonReads", "specAnonWrites", "tags", "teamId", "updatedAt", "updatedById", "version") SELECT "authMethods", "authzModel", "authzRoles", "businessFunction", "centrallyLogged", "createdAt", "createdById", "dataCategories", "deletedAt", "deletedById", "docsUrl", "environments", "exposure", "exposureRank", "hasWarning", "id", "ism1817", "ism1818", "ism1910", "ism2013", "ism2014", "ism2015", "lifecycle", "lifecycleRank", "loggingDestination", "modifiesData", "name", "openapiUrl", "ownerId", "partnerLinkPrivate", "purpose", "readsNonPublic", "repoUrl", "searchText", "sensitivity", "sensitivityRank", "specAnonReads", "specAnonWrites", "tags", "teamId", "updatedAt", "updatedById", "version" FROM "Api";
DROP TABLE "Api";
ALTER TABLE "new_Api" RENAME TO "Api";
CREATE INDEX "Api_name_id_idx" ON "Api"("name", "id");
CREATE INDEX "Api_updatedAt_id_idx" ON "Api"("updatedAt", "id");
CREATE INDEX "Api_createdAt_id_idx" ON "Api"("createdAt", "id");
CREATE INDEX "Api_exposure_id_idx" ON "Api"("exposure", "id");
CREATE INDEX "Api_sensitivity_id_idx" ON "Api"("sensitivity", "id");
CREATE INDEX "Api_lifecycle_id_idx" ON "Api"("lifecycle", "id");
CREATE INDEX "Api_exposureRank_id_idx" ON "Api"("exposureRank", "id");
CREATE INDEX "Api_sensitivityRank_id_idx" ON "Api"("sensitivityRank", "id");
CREATE INDEX "Api_lifecycleRank_id_idx" ON "Api"("lifecycleRank", "id");
CREATE INDEX "Api_teamId_idx" ON "Api"("teamId");
CREATE INDEX "Api_ownerId_idx" ON "Api"("ownerId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "FindingTriage_apiId_status_idx" ON "FindingTriage"("apiId", "status");

-- CreateIndex
CREATE INDEX "FindingTriage_approverId_status_idx" ON "FindingTriage"("approverId", "status");

-- CreateIndex
CREATE INDEX "FindingTriage_status_expiresOn_idx" ON "FindingTriage"("status", "expiresOn");
