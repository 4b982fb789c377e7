// The one rule for text that comes from outside: forms and server-action arguments, REST bodies, path
// and query parameters, headers, and the cells and values of uploaded CSV, YAML and JSON files.
//
// - Refused (a field error, nothing stored): lone UTF-16 surrogates (they cannot be stored as UTF-8, so the
//   database would keep U+FFFD while the audit hash covered the original), NUL and the other C0/C1 control
//   characters except tab, line feed and carriage return (PostgreSQL cannot store NUL at all), and the
//   bidirectional embedding, override and isolate controls U+202A–U+202E and U+2066–U+2069 (the
//   characters of "Trojan Source": they make text display in another order than it is stored). The
//   plain direction marks (LRM, RLM, ALM) stay allowed in free text, where right-to-left writing needs them.
// - Normalised: to Unicode NFC, so that the same visible text is the same stored bytes (a name typed on
//   macOS and on Windows compares equal, and lengths are checked on what is stored). Secrets (passwords,
//   tokens) are never normalised: their bytes are what the user typed.
// - Names (single-line labels people pick things by) additionally refuse line breaks, every bidirectional
//   control and the invisible zero-width characters, which would let two different names look the same:
//   see `nameProblem`, applied by `nameRule` in lib/input/validation.ts.
import { AppError } from "@/lib/errors";

// Lone surrogates: a high one not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// C0 except \t \n \r, DEL, C1.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
const BIDI_OVERRIDE = /[\u202A-\u202E\u2066-\u2069]/;
/**
 * Anything that may be refused, in one character class (any surrogate, even a proper pair, sends the
 * text down the exact path): the common case, nothing wrong, costs one scan — about 2 ms for the
 * 50,000 strings of a full event batch, where the exact expression (with its look-behind) took 20 ms.
 */
// eslint-disable-next-line no-control-regex
const SUSPECT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\uD800-\uDFFF]/;
const REFUSED_ALL = new RegExp(`${LONE_SURROGATE.source}|${CONTROL.source}|${BIDI_OVERRIDE.source}`, "g");
/** Every bidirectional formatting character: marks, embeddings, overrides and isolates. */
const BIDI_ANY = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;
/** Invisible characters that make different names look the same. */
const INVISIBLE = /[\u200B-\u200D\u2060-\u2064\uFEFF\u180E\u00AD]/;

/** At most `max` UTF-16 units of the text, never half of a surrogate pair (an emoji). */
export function cutText(value: string, max: number): string {
  if (value.length <= max) return value;
  const end = /[\uD800-\uDBFF]/.test(value[max - 1]!) ? max - 1 : max;
  return value.slice(0, end);
}

/**
 * Outside text quoted inside a message the app writes (a reason, an error): every refused character
 * written as its \u escape, cut to `max`, so the message can be stored and shown as it is.
 */
export function quotedText(value: string, max: number): string {
  return cutText(value, max).replace(REFUSED_ALL, (c) => `\\u${hex(c).toLowerCase()}`);
}

/** Why a piece of outside text cannot be accepted, or null when it can. */
export function textProblem(value: string): string | null {
  if (!SUSPECT.test(value)) return null;
  if (LONE_SURROGATE.test(value)) return "contains an invalid character (a lone UTF-16 surrogate)";
  const control = CONTROL.exec(value);
  if (control)
    return control[0] === "\u0000" ? "contains a NUL character" : `contains a control character (U+${hex(control[0])})`;
  const bidi = BIDI_OVERRIDE.exec(value);
  if (!bidi) return null;
  return `contains a bidirectional control character (U+${hex(bidi[0])}) that would change how it displays`;
}

/**
 * The part of the rule that keeps storage and hashing consistent, for the contents of documents people
 * upload and the app keeps as written (an OpenAPI description's values): a lone surrogate cannot be
 * stored as UTF-8 and PostgreSQL cannot store NUL. Their other characters (a YAML "\N" is U+0085) are
 * the author's business; what the app shows from them goes through the full rule.
 */
export function storableProblem(value: string): string | null {
  if (!SUSPECT.test(value)) return null;
  if (LONE_SURROGATE.test(value)) return "contains an invalid character (a lone UTF-16 surrogate)";
  if (value.includes("\u0000")) return "contains a NUL character";
  return null;
}

/**
 * The text with every refused character removed: for values that only narrow a read (a search box, a
 * filter in a link), where dropping what can match nothing is kinder than an error page.
 */
export function stripRefused(value: string): string {
  return SUSPECT.test(value) ? value.replace(REFUSED_ALL, "") : value;
}

/** The further rule for names: one line, no bidirectional controls, nothing invisible. */
export function nameProblem(value: string): string | null {
  const base = textProblem(value);
  if (base) return base;
  if (/[\r\n\t\u2028\u2029]/.test(value)) return "must be on one line";
  const bidi = BIDI_ANY.exec(value);
  if (bidi) return `contains a bidirectional control character (U+${hex(bidi[0])})`;
  const invisible = INVISIBLE.exec(value);
  if (invisible) return `contains an invisible character (U+${hex(invisible[0])})`;
  return null;
}

function hex(ch: string): string {
  return ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0");
}

/** Outside text as it will be stored (NFC), or the reason it is refused. */
export function cleanText(
  value: string,
  options: { secret?: boolean; document?: boolean } = {},
): { ok: true; value: string } | { ok: false; problem: string } {
  if (options.document) {
    const problem = storableProblem(value);
    return problem ? { ok: false, problem } : { ok: true, value };
  }
  const problem = textProblem(value);
  if (problem) return { ok: false, problem };
  return { ok: true, value: options.secret ? value : value.normalize("NFC") };
}

/** cleanText that throws a VALIDATION error on `field` (for single values: a header, a query parameter). */
export function cleanTextOrThrow(value: string, field: string, options: { secret?: boolean } = {}): string {
  const result = cleanText(value, options);
  if (!result.ok)
    throw new AppError("VALIDATION", `${labelOf(field)} ${result.problem}.`, {
      [field]: [`${labelOf(field)} ${result.problem}.`],
    });
  return result.value;
}

/** Fields whose value is a secret: checked, never normalised. */
const SECRET_KEY = /(password|secret|token)$/i;
/** Deeper than any form or REST body of the app; a deeper value is refused rather than walked. */
export const MAX_INPUT_DEPTH = 32;

/**
 * Walks untrusted structured input (a form's object, a parsed JSON body, a parsed YAML or JSON file) and
 * returns a copy with every string — keys included — checked and normalised; every bad string is
 * reported as a field error keyed by its dotted path, the way zod reports them, so the form shows it on
 * the field. A value reached twice (YAML aliases share objects) is walked once, so an alias bomb costs
 * what its text costs.
 */
export function cleanInput(raw: unknown, options: { maxDepth?: number; document?: boolean } = {}): unknown {
  const errors: Record<string, string[]> = {};
  const cleaned = walk(
    raw,
    [],
    false,
    { errors, seen: new Map(), maxDepth: options.maxDepth ?? MAX_INPUT_DEPTH, document: options.document ?? false },
    0,
  );
  if (Object.keys(errors).length)
    throw new AppError("VALIDATION", "Some fields contain characters that cannot be accepted.", errors);
  return cleaned;
}

type Walk = { errors: Record<string, string[]>; seen: Map<object, unknown>; maxDepth: number; document: boolean };

function walk(value: unknown, path: (string | number)[], secret: boolean, state: Walk, depth: number): unknown {
  if (typeof value === "string") {
    const result = cleanText(value, { secret, document: state.document });
    if (result.ok) return result.value;
    const key = path.length ? path.join(".") : "_form";
    (state.errors[key] ??= []).push(`${labelOf(String(path[path.length - 1] ?? "The value"))} ${result.problem}.`);
    return value;
  }
  if (value === null || typeof value !== "object") return value;
  if (state.seen.has(value)) return state.seen.get(value);
  if (depth >= state.maxDepth) {
    const message = `The input is nested more than ${state.maxDepth} levels deep.`;
    throw new AppError("VALIDATION", message, { [path.slice(0, 3).join(".") || "_form"]: [message] });
  }
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    state.seen.set(value, out);
    for (let i = 0; i < value.length; i++) out.push(walk(value[i], [...path, i], secret, state, depth + 1));
    return out;
  }
  // Only plain objects are input; Dates, Files and the like pass as they are.
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  state.seen.set(value, out);
  for (const [k, v] of Object.entries(value)) {
    const key = cleanText(k, { document: state.document });
    if (!key.ok) {
      (state.errors[[...path, "(key)"].join(".")] ??= []).push(`A field name ${key.problem}.`);
      continue;
    }
    out[key.value] = walk(v, [...path, key.value], secret || SECRET_KEY.test(key.value), state, depth + 1);
  }
  return out;
}

/** "ownerId" → "Owner id", "0" → "The value": good enough for a message next to the field. */
function labelOf(field: string): string {
  if (/^\d+$/.test(field)) return "The value";
  const words = field
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .replace(/[_.-]+/g, " ")
    .trim()
    .toLowerCase();
  return words ? words[0]!.toUpperCase() + words.slice(1) : "The value";
}

export const NOT_UTF8 = "The request body is not UTF-8 text.";

/** A body's bytes as text; bytes that are not UTF-8 are refused (400), never replaced. */
export function decodeBody(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new AppError("VALIDATION", NOT_UTF8);
  }
}
