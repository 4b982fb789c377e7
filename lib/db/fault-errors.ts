// Faults of the installation rather than of the request: the database cannot be reached (stopped,
// restarting, killed, out of connections) or stays locked beyond its timeout, or the disk is full.
// They are not bugs, they pass, and the caller should hear so — 503 with Retry-After, 507 for a full
// disk — instead of a 500 that says "something went wrong". Recognised here, once, for both drivers
// as Prisma reports them (its P1xxx codes and the driver adapter's error), and for the raw driver and
// file-system errors that reach us without Prisma (COPY on the pg connection, blob files).
import { logger } from "@/lib/log/logger";
import fs from "node:fs";
import path from "node:path";
import { databaseUrl, providerOf, sqlitePath } from "@/lib/db/db-url";
import { AppError, isAppError } from "@/lib/errors";

/** Seconds a client should wait before retrying a write refused because the database was unavailable. */
export const UNAVAILABLE_RETRY_AFTER = 5;

// Prisma: can't reach / timed out reaching / operations timed out / TLS / server closed the connection /
// no connection from the pool in time / the interactive transaction could not start or was closed.
const PRISMA_UNAVAILABLE = new Set(["P1001", "P1002", "P1008", "P1011", "P1017", "P2024", "P2028"]);
// The driver adapters' error kinds for the same faults (SQLite's busy beyond the timeout is SocketTimeout).
const ADAPTER_UNAVAILABLE = new Set([
  "DatabaseNotReachable",
  "ConnectionClosed",
  "SocketTimeout",
  "TooManyConnections",
  "TlsConnectionError",
]);
// PostgreSQL SQLSTATEs: class 08 connection exceptions; 57P01 admin shutdown, 57P02 crash shutdown,
// 57P03 cannot connect now (starting up, in recovery); 53300 too many connections.
const PG_UNAVAILABLE = /^(08...|57P0[123]|53300)$/;
// Node's socket errors as the pg driver reports them before Prisma sees them.
// ENOTFOUND and EAI_AGAIN: the database's host name does not resolve (yet), as while its service restarts.
const NODE_UNAVAILABLE = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
]);
// pg's own messages for a connection that died under it (they carry no code).
const PG_CONNECTION_LOST =
  /^(Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect)/;

type Kind = "unavailable" | "full";

/** The fault an error stands for, or null for anything else (a bug, bad input…). */
export function faultKind(error: unknown): Kind | null {
  for (const e of layers(error)) {
    const code = str(e.originalCode) ?? str(e.code) ?? str(e.errorCode);
    // Disk full: the file system (ENOSPC, EDQUOT), SQLite (SQLITE_FULL) or PostgreSQL (53100 disk_full).
    if (code && /^(ENOSPC|EDQUOT|SQLITE_FULL|53100)$/.test(code)) return "full";
    if (code && (PRISMA_UNAVAILABLE.has(code) || PG_UNAVAILABLE.test(code) || NODE_UNAVAILABLE.has(code)))
      return "unavailable";
    // SQLite reports some writes that hit a full disk as I/O errors (the journal, the shared-memory
    // file); an I/O error on a disk with room left is a failing or missing disk: unavailable.
    if (code?.startsWith("SQLITE_IOERR")) return sqliteDiskFull() ? "full" : "unavailable";
    // SQLite: locked by another process beyond the busy timeout, the file unopenable.
    if (code && /^SQLITE_(BUSY|LOCKED|CANTOPEN|PROTOCOL)/.test(code)) return "unavailable";
    if (typeof e.kind === "string" && ADAPTER_UNAVAILABLE.has(e.kind)) return "unavailable";
    if (typeof e.message === "string" && PG_CONNECTION_LOST.test(e.message)) return "unavailable";
  }
  return null;
}

/** SQLite's write lock is held by another connection (the driver's code, or the adapter's kind for it). */
export function isSqliteBusy(error: unknown): boolean {
  return layers(error).some((e) => str(e.code)?.startsWith("SQLITE_BUSY") || e.kind === "SocketTimeout");
}

/** The AppError to answer with for a fault of the installation, or null if `error` is not one. */
export function asFaultError(error: unknown): AppError | null {
  if (isAppError(error)) return error.code === "SERVICE_UNAVAILABLE" || error.code === "STORAGE_FULL" ? error : null;
  const kind = faultKind(error);
  // The original stays as `cause`, for the server log (faultSummary).
  if (kind === "full")
    return Object.assign(
      new AppError(
        "STORAGE_FULL",
        "The server's storage is full, so nothing was saved. Ask an administrator to free disk space, then try again.",
      ),
      { cause: error },
    );
  if (kind === "unavailable") {
    return Object.assign(
      new AppError(
        "SERVICE_UNAVAILABLE",
        "The database is unavailable right now, so nothing was changed. Try again in a few seconds.",
        {},
        { retryAfter: UNAVAILABLE_RETRY_AFTER },
      ),
      { cause: error },
    );
  }
  return null;
}

/** Logs a fault in one line (it repeats for every request while it lasts; no stack each time). */
export function logFault(fault: AppError): void {
  logger().warn({ code: fault.code, cause: faultSummary(fault.cause ?? fault) }, "answered a database fault");
}

/** A fault means the work can be retried later unchanged: the same write may succeed once it clears. */
export function isFault(error: unknown): boolean {
  return asFaultError(error) !== null;
}

/** Whether the file system holding the SQLite file has (almost) no space left. */
function sqliteDiskFull(): boolean {
  try {
    const url = databaseUrl();
    if (providerOf(url) !== "sqlite") return false;
    const stat = fs.statfsSync(path.dirname(path.resolve(sqlitePath(url))));
    return stat.bavail * stat.bsize < 1024 * 1024;
  } catch {
    return false;
  }
}

type Layer = { code?: unknown; originalCode?: unknown; errorCode?: unknown; kind?: unknown; message?: unknown };

/** The error and what it wraps: Prisma's driverAdapterError (and its cause), a DriverAdapterError's cause. */
function layers(error: unknown): Layer[] {
  const out: Layer[] = [];
  const add = (value: unknown) => {
    if (value && typeof value === "object") out.push(value as Layer);
  };
  add(error);
  const meta = (error as { meta?: { driverAdapterError?: { cause?: unknown } } } | null)?.meta;
  add(meta?.driverAdapterError?.cause);
  if ((error as { name?: unknown } | null)?.name === "DriverAdapterError") add((error as { cause?: unknown }).cause);
  return out;
}

function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function faultSummary(error: unknown): string {
  return layers(error)
    .map((e) =>
      [
        str(e.originalCode) ?? str(e.code) ?? str(e.errorCode) ?? str(e.kind),
        str(e.message)?.split("\n").filter(Boolean).at(-1)?.slice(0, 200),
      ]
        .filter(Boolean)
        .join(" "),
    )
    .filter(Boolean)
    .join(" / ");
}
