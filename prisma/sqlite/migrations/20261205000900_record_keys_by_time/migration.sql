-- Keys now begin with the record's time, and TrafficRecordKey keeps no index on the day. The keys stored
-- so far (128 bits of the hash, no time) are moved aside as they are, renamed rather than copied, and read
-- beside the new ones until they expire (lib/traffic/record-keys.ts).
ALTER TABLE "TrafficRecordKey" RENAME TO "TrafficRecordKeyV1";
DROP INDEX "TrafficRecordKey_sourceId_day_idx";
CREATE INDEX "TrafficRecordKeyV1_sourceId_day_idx" ON "TrafficRecordKeyV1"("sourceId", "day");

CREATE TABLE "TrafficRecordKey" (
    "sourceId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "day" DATETIME NOT NULL,

    PRIMARY KEY ("sourceId", "key")
);
