// The app's own log: one JSON object per line on standard output (pino), for the agency's log shipper and
// SIEM — {"level":"error","time":"2026-12-06T11:00:00.000Z","service":"apiledger","host":…,"pid":…,"msg":…}.
// One logger per process, on globalThis, shared by the HTTP server (no "server-only" here) and Next's
// route bundles. Secrets never reach it: headers are not logged, fields named like secrets are redacted at
// any depth, and credentials in URLs are cut out of every string, error messages and stacks included.
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

/** A key that may hold a secret, in any case and inside longer names (clientSecret, Set-Cookie, accessToken). */
const SECRET_KEY = /authori[sz]ation|passw(or)?d|secret|token|cookie|private.?key|credential|api.?key/i;
/** Credentials written into a URL (smtp://user:pass@host): the part before the @ goes. */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@"']+@/gi;
const MAX_DEPTH = 6;

/** A string with any URL credentials in it removed. */
export function withoutUrlCredentials(text: string): string {
  return text.replace(URL_USERINFO, "$1[redacted]@");
}

/**
 * A copy of a value fit for the log: fields named like secrets replaced at any depth, URL credentials
 * cut out of every string (an error's message and stack too), errors reduced to type, message, stack,
 * code and cause (a library's error can carry its request's headers or configuration).
 */
export function scrub(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return withoutUrlCredentials(value);
  if (value === null || typeof value !== "object") return value;
  if (depth >= MAX_DEPTH) return "[deeper]";
  if (value instanceof Error) {
    const e = value as Error & { code?: unknown };
    return scrub(
      {
        type: e.name,
        message: e.message,
        stack: e.stack,
        ...(e.code !== undefined ? { code: e.code } : {}),
        ...(e.cause !== undefined ? { cause: e.cause } : {}),
      },
      depth + 1,
    );
  }
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => scrub(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) out[key] = SECRET_KEY.test(key) ? "[redacted]" : scrub(v, depth + 1);
  return out;
}

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
    serializers: { err: (error: unknown) => scrub(error) },
    formatters: {
      level: (label) => ({ level: label }),
      // Every logged object, whatever its keys, goes through scrub (err has been reduced already).
      log: (object) => scrub(object) as Record<string, unknown>,
    },
    hooks: {
      // The message too: it may quote a URL with credentials.
      logMethod(args, method) {
        const last = args.length - 1;
        if (typeof args[last] === "string") args[last] = withoutUrlCredentials(args[last] as string);
        return method.apply(this, args);
      },
    },
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
