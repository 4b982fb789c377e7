import "server-only";
import { logError } from "@/lib/log/logger";
import { asFaultError, logFault } from "@/lib/db/fault-errors";
import { ZodError } from "zod";
import { isAppError } from "@/lib/errors";
import { fieldErrorsOf } from "@/lib/input/validation";

export type ActionResult<T = null> =
  { ok: true; data: T } | { ok: false; code: string; message: string; fieldErrors: Record<string, string[]> };

/**
 * Runs a server action body: expected failures (AppError) come back with their message and field
 * errors; anything else is logged on the server and shown as a generic message, so internals never
 * reach the browser.
 */
export async function runAction<T>(body: () => Promise<T>): Promise<ActionResult<T>> {
  try {
    return { ok: true, data: await body() };
  } catch (thrown) {
    // A fault of the installation (database unavailable, disk full) is said as such, not as a bug.
    const fault = asFaultError(thrown);
    if (fault) logFault(fault);
    const error = fault ?? thrown;
    if (isAppError(error))
      return { ok: false, code: error.code, message: error.message, fieldErrors: error.fieldErrors };
    if (error instanceof ZodError)
      return {
        ok: false,
        code: "VALIDATION",
        message: "The request was malformed; nothing was saved.",
        fieldErrors: fieldErrorsOf(error),
      };
    // Next uses thrown values for redirect()/notFound(); let them through.
    if (
      error &&
      typeof error === "object" &&
      "digest" in error &&
      String((error as { digest: unknown }).digest).startsWith("NEXT_")
    )
      throw error;
    logError("unexpected error in a server action", error);
    return {
      ok: false,
      code: "INTERNAL",
      message:
        "Something went wrong on the server. Nothing was saved. Try again, or ask an administrator to check the server log.",
      fieldErrors: {},
    };
  }
}
