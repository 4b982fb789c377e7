-- "Action" meant five things, so the tracked work from reviews and incidents is now a follow-up (issue 13).
-- Renamed in place, with every constraint and index named after the new table.
ALTER TYPE "ReviewActionStatus" RENAME TO "FollowUpStatus";
ALTER TABLE "ReviewAction" RENAME TO "FollowUp";
ALTER TABLE "FollowUp" RENAME CONSTRAINT "ReviewAction_pkey" TO "FollowUp_pkey";
ALTER TABLE "FollowUp" RENAME CONSTRAINT "ReviewAction_reviewId_fkey" TO "FollowUp_reviewId_fkey";
ALTER TABLE "FollowUp" RENAME CONSTRAINT "ReviewAction_incidentId_fkey" TO "FollowUp_incidentId_fkey";
ALTER INDEX "ReviewAction_ownerId_status_idx" RENAME TO "FollowUp_ownerId_status_idx";
ALTER INDEX "ReviewAction_incidentId_idx" RENAME TO "FollowUp_incidentId_idx";
