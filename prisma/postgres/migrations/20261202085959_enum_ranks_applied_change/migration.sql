-- AlterTable
ALTER TABLE "Api" ADD COLUMN     "exposureRank" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "lifecycleRank" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "sensitivityRank" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "FollowUp" ADD COLUMN     "appliedChange" TEXT NOT NULL DEFAULT '';

-- CreateIndex
CREATE INDEX "Api_exposureRank_id_idx" ON "Api"("exposureRank", "id");

-- CreateIndex
CREATE INDEX "Api_sensitivityRank_id_idx" ON "Api"("sensitivityRank", "id");

-- CreateIndex
CREATE INDEX "Api_lifecycleRank_id_idx" ON "Api"("lifecycleRank", "id");


-- Backfill: each enumeration's position in its declared order (lib/apis/enums.ts).
UPDATE "Api" SET
  "lifecycleRank" = CASE "lifecycle" WHEN 'PLANNED' THEN 0 WHEN 'ACTIVE' THEN 1 WHEN 'DEPRECATED' THEN 2 WHEN 'RETIRED' THEN 3 ELSE 0 END,
  "exposureRank" = CASE "exposure" WHEN 'INTERNAL' THEN 0 WHEN 'PARTNER' THEN 1 WHEN 'INTERNET' THEN 2 ELSE 0 END,
  "sensitivityRank" = CASE "sensitivity" WHEN 'UNOFFICIAL' THEN 0 WHEN 'OFFICIAL' THEN 1 WHEN 'OFFICIAL_SENSITIVE' THEN 2 WHEN 'PROTECTED' THEN 3 WHEN 'SECRET' THEN 4 WHEN 'TOP_SECRET' THEN 5 ELSE 0 END;
