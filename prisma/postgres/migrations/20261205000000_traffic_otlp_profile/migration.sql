-- OpenTelemetry logs and traces share one profile: a Collector sends both with one token.
UPDATE "TrafficSource" SET "profile" = 'otlp' WHERE "profile" IN ('otlp-logs', 'otlp-traces');
