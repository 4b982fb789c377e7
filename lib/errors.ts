// Expected failures carry a code and a message that is safe to show the user; anything else is a bug
// and is shown as a generic error (its details go to the server log only).
export type AppErrorCode =
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "VALIDATION"
  | "CONFLICT"
  | "INVALID_FILE"
  // REST API (lib/rest): a stale If-Match, too many requests, a body over the limit, an idempotency key
  // reused with a different request, a body that is not JSON.
  | "PRECONDITION_FAILED"
  | "RATE_LIMITED"
  | "PAYLOAD_TOO_LARGE"
  | "IDEMPOTENCY_KEY_REUSED"
  | "UNSUPPORTED_MEDIA_TYPE"
  // The body did not arrive within the route's deadline (a slow upload must not hold the server).
  | "REQUEST_TIMEOUT"
  // Faults of the installation, not of the request (lib/db/fault-errors.ts): the database cannot be
  // reached or is busy beyond its timeout (try again later), or the disk is full.
  | "SERVICE_UNAVAILABLE"
  | "STORAGE_FULL";

const STATUS: Record<AppErrorCode, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  VALIDATION: 400,
  CONFLICT: 409,
  INVALID_FILE: 422,
  PRECONDITION_FAILED: 412,
  RATE_LIMITED: 429,
  PAYLOAD_TOO_LARGE: 413,
  IDEMPOTENCY_KEY_REUSED: 422,
  UNSUPPORTED_MEDIA_TYPE: 415,
  REQUEST_TIMEOUT: 408,
  SERVICE_UNAVAILABLE: 503,
  // RFC 4918's Insufficient Storage: the request was fine, the server has no room to keep it.
  STORAGE_FULL: 507,
};

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly fieldErrors: Record<string, string[]>;
  /** A CONFLICT because the write was based on an old version of the record (REST answers 412). */
  readonly isStaleVersion: boolean;
  /** Seconds after which a retry may succeed (REST sends it as Retry-After). */
  readonly retryAfter?: number;
  /**
   * Next keeps a thrown error's digest when it reaches a page's error boundary (the message is hidden in
   * production), so faults of the installation carry one that app/(dashboard)/error.tsx recognises.
   */
  readonly digest?: string;

  constructor(
    code: AppErrorCode,
    message: string,
    fieldErrors: Record<string, string[]> = {},
    options: { staleVersion?: boolean; retryAfter?: number } = {},
  ) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.fieldErrors = fieldErrors;
    this.isStaleVersion = options.staleVersion ?? false;
    if (options.retryAfter !== undefined) this.retryAfter = options.retryAfter;
    if (code === "SERVICE_UNAVAILABLE" || code === "STORAGE_FULL")
      this.digest = `apiledger-${code.toLowerCase().replace(/_/g, "-")}`;
  }

  get status(): number {
    return STATUS[this.code];
  }
}

/** The record changed since the caller read it (optimistic concurrency): a CONFLICT marked as stale. */
export function staleVersion(message: string): AppError {
  return new AppError("CONFLICT", message, {}, { staleVersion: true });
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** Prisma's known request errors carry a string code such as P2002 (unique) or P2025 (not found). */
export function prismaErrorCode(error: unknown): string | undefined {
  if (typeof error === "object" && error !== null && "code" in error && typeof error.code === "string") {
    return /^P\d{4}$/.test(error.code) ? error.code : undefined;
  }
  return undefined;
}
