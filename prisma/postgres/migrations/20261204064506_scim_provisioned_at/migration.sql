-- AlterTable
ALTER TABLE "User" ADD COLUMN     "provisionedAt" TIMESTAMP(3);

-- Accounts SCIM already wrote to and that sign in through the identity provider alone are the provider's.
UPDATE "User" SET "provisionedAt" = "updatedAt" WHERE "scimUserName" IS NOT NULL AND "passwordHash" IS NULL;
