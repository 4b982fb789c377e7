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
INSERT INTO "new_Api" ("authMethods", "authzModel", "authzRoles", "businessFunction", "centrallyLogged", "createdAt", "createdById", "dataCategories", "deletedAt", "deletedById", "docsUrl", "environments", "exposure", "hasWarning", "id", "ism1817", "ism1818", "ism1910", "ism2013", "ism2014", "ism2015", "lifecycle", "loggingDestination", "modifiesData", "name", "openapiUrl", "ownerId", "partnerLinkPrivate", "purpose", "readsNonPublic", "repoUrl", "searchText", "sensitivity", "specAnonReads", "specAnonWrites", "tags", "teamId", "updatedAt", "updatedById", "version") SELECT "authMethods", "authzModel", "authzRoles", "businessFunction", "centrallyLogged", "createdAt", "createdById", "dataCategories", "deletedAt", "deletedById", "docsUrl", "environments", "exposure", "hasWarning", "id", "ism1817", "ism1818", "ism1910", "ism2013", "ism2014", "ism2015", "lifecycle", "loggingDestination", "modifiesData", "name", "openapiUrl", "ownerId", "partnerLinkPrivate", "purpose", "readsNonPublic", "repoUrl", "searchText", "sensitivity", "specAnonReads", "specAnonWrites", "tags", "teamId", "updatedAt", "updatedById", "version" FROM "Api";
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
CREATE TABLE "new_FollowUp" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "reviewId" TEXT,
    "incidentId" TEXT,
    "description" TEXT NOT NULL,
    "ownerId" TEXT,
    "dueOn" DATETIME,
    "status" TEXT NOT NULL DEFAULT 'OPEN',
    "fromClientId" TEXT NOT NULL DEFAULT '',
    "completedAt" DATETIME,
    "completedNote" TEXT NOT NULL DEFAULT '',
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "appliedChange" TEXT NOT NULL DEFAULT '',
    CONSTRAINT "FollowUp_reviewId_fkey" FOREIGN KEY ("reviewId") REFERENCES "Review" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "FollowUp_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_FollowUp" ("completedAt", "completedNote", "createdAt", "description", "dueOn", "fromClientId", "id", "incidentId", "ownerId", "reviewId", "status", "updatedAt", "version") SELECT "completedAt", "completedNote", "createdAt", "description", "dueOn", "fromClientId", "id", "incidentId", "ownerId", "reviewId", "status", "updatedAt", "version" FROM "FollowUp";
DROP TABLE "FollowUp";
ALTER TABLE "new_FollowUp" RENAME TO "FollowUp";
CREATE INDEX "FollowUp_ownerId_status_idx" ON "FollowUp"("ownerId", "status");
CREATE INDEX "FollowUp_incidentId_idx" ON "FollowUp"("incidentId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- Backfill: each enumeration's position in its declared order (lib/apis/enums.ts).
UPDATE "Api" SET
  "lifecycleRank" = CASE "lifecycle" WHEN 'PLANNED' THEN 0 WHEN 'ACTIVE' THEN 1 WHEN 'DEPRECATED' THEN 2 WHEN 'RETIRED' THEN 3 ELSE 0 END,
  "exposureRank" = CASE "exposure" WHEN 'INTERNAL' THEN 0 WHEN 'PARTNER' THEN 1 WHEN 'INTERNET' THEN 2 ELSE 0 END,
  "sensitivityRank" = CASE "sensitivity" WHEN 'UNOFFICIAL' THEN 0 WHEN 'OFFICIAL' THEN 1 WHEN 'OFFICIAL_SENSITIVE' THEN 2 WHEN 'PROTECTED' THEN 3 WHEN 'SECRET' THEN 4 WHEN 'TOP_SECRET' THEN 5 ELSE 0 END;
