-- Request counters (lib/http/rate-limit.ts) are rewritten on every REST call and worth nothing after a
-- crash: an unlogged table writes no WAL for them, which halved the time of a count on the benchmark
-- machine. After a crash or a fail-over to a standby the counts start again from zero.
ALTER TABLE "RateLimit" SET UNLOGGED;
