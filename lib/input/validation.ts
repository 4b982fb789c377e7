import { z } from "zod";
import { AppError } from "@/lib/errors";
import { cleanInput, nameProblem } from "@/lib/input/text";

/** Field errors keyed by dotted path ("environments.0.baseUrl"), in the order zod reports them. */
export function fieldErrorsOf(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.join(".") : "_form";
    (out[key] ??= []).push(issue.message);
  }
  return out;
}

/**
 * Validates untrusted input with a schema; a failure becomes a VALIDATION error with field messages.
 * Every string in the input passes the text rule of lib/input/text.ts first (refused or NFC-normalised),
 * so no service sees, validates or stores text that the database would store differently.
 */
export function parseOrThrow<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const parsed = schema.safeParse(cleanInput(raw));
  if (!parsed.success) throw new AppError("VALIDATION", "Some fields need attention.", fieldErrorsOf(parsed.error));
  return parsed.data;
}

/** A record id from a form, a path or a server-action argument (cuid, uuid or our own readable ids). */
export const ZId = z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, "Not a valid id.");
/** A record's version for optimistic locking (the If-Match of server actions). */
export const ZVersion = z.number().int();

/**
 * The further rule for a name people pick a thing by (an API, a team, a person, an incident's title):
 * one line, no bidirectional or invisible characters, so two different names never look the same.
 * Added to a field's own schema: `z.string().trim().min(1).max(120).superRefine(nameRule("Name"))`.
 */
export const nameRule =
  (label: string) =>
  (value: string, ctx: z.RefinementCtx): void => {
    const problem = nameProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: `${label} ${problem}.` });
  };
