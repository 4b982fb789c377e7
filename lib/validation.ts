import type { z } from "zod";
import { AppError } from "@/lib/errors";

/** Field errors keyed by dotted path ("environments.0.baseUrl"), in the order zod reports them. */
export function fieldErrorsOf(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.join(".") : "_form";
    (out[key] ??= []).push(issue.message);
  }
  return out;
}

/** Validates untrusted input with a schema; a failure becomes a VALIDATION error with field messages. */
export function parseOrThrow<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new AppError("VALIDATION", "Some fields need attention.", fieldErrorsOf(parsed.error));
  return parsed.data;
}
