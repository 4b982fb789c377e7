-- Repeated failed authentications from one address for one reason within a minute share one row, with
-- the number of attempts (a flood of refused tokens grows the table by a row a minute, not a row a try).
ALTER TABLE "SignInEvent" ADD COLUMN "count" INTEGER NOT NULL DEFAULT 1;

-- CreateIndex
CREATE INDEX "SignInEvent_ip_reason_at_idx" ON "SignInEvent"("ip", "reason", "at");
