-- DropIndex
DROP INDEX "AuthEvent_apiId_clientId_at_idx";
