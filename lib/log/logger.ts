// The app's own log: one JSON object per line on standard output (pino), for the agency's log shipper and
// SIEM — {"level":"error","time":"2026-12-06T11:00:00.000Z","service":"apiledger","host":…,"pid":…,"msg":…}.
// One logger per process, on globalThis, shared by the HTTP server (no "server-only" here) and Next's
// route bundles. Secrets never reach it: headers are not logged, and fields that could hold a secret are
// redacted wherever they appear in a logged object.
import os from "node:os";
import pino from "pino";

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

/** APILEDGER_LOG_LEVEL: the least severe level written (default info); anything else is refused. */
export function logLevel(env: Record<string, string | undefined> = process.env): (typeof LOG_LEVELS)[number] {
  const value = env.APILEDGER_LOG_LEVEL?.trim() || "info";
  const level = LOG_LEVELS.find((l) => l === value);
  if (!level) throw new Error(`APILEDGER_LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")}, not "${value}".`);
  return level;
}

const SECRET_FIELDS = ["authorization", "password", "secret", "token", "cookie", "privateKey", "smtpPassword"];

const holder = globalThis as unknown as { apiledgerLog?: pino.Logger };

/** A logger in the app's format, to standard output or (tests) another stream. */
export function createLogger(
  destination?: pino.DestinationStream,
  env: Record<string, string | undefined> = process.env,
): pino.Logger {
  const options: pino.LoggerOptions = {
    level: logLevel(env),
    base: { service: "apiledger", host: os.hostname(), pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: SECRET_FIELDS.flatMap((f) => [f, `*.${f}`, `*.*.${f}`]), censor: "[redacted]" },
  };
  return destination ? pino(options, destination) : pino(options);
}

export function logger(): pino.Logger {
  return (holder.apiledgerLog ??= createLogger());
}

/** Logs an error with its message and stack under `err` (pino's serializer), and what was being done. */
export function logError(message: string, error: unknown, fields: Record<string, unknown> = {}): void {
  logger().error({ ...fields, err: error instanceof Error ? error : new Error(String(error)) }, message);
}
