-- Keys now begin with the record's time, and TrafficRecordKey keeps no index on the day. The keys stored
-- so far (128 bits of the hash, no time) are moved aside as they are, renamed rather than copied, and read
-- beside the new ones until they expire (lib/traffic/record-keys.ts).
ALTER TABLE "TrafficRecordKey" RENAME TO "TrafficRecordKeyV1";
ALTER TABLE "TrafficRecordKeyV1" RENAME CONSTRAINT "TrafficRecordKey_pkey" TO "TrafficRecordKeyV1_pkey";
ALTER INDEX "TrafficRecordKey_sourceId_day_idx" RENAME TO "TrafficRecordKeyV1_sourceId_day_idx";

CREATE TABLE "TrafficRecordKey" (
    "sourceId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "day" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TrafficRecordKey_pkey" PRIMARY KEY ("sourceId","key")
);
