// A pre-scan of a JSON (or NDJSON) text for nesting depth and element count before JSON.parse, so a
// hostile body (megabytes of "[[[[…" or millions of tiny values) is refused in one linear pass that
// allocates nothing. Self-contained on purpose: lib/input/parse-body.ts also runs it inside its worker
// threads from this function's own source text.
import { AppError } from "@/lib/errors";

export type JsonLimits = { maxDepth: number; maxElements: number };

/** A request body's JSON text parsed within the limits; refused (400) when past them or not JSON. */
export function parseJsonText(text: string, limits: JsonLimits): unknown {
  const problem = jsonBoundsProblem(text, limits.maxDepth, limits.maxElements);
  if (problem) throw new AppError("VALIDATION", `The request body is ${problem}.`);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new AppError("VALIDATION", `The request body is not valid JSON: ${(error as Error).message}`);
  }
}

/** Null when within the limits, else what was exceeded. Does not check the grammar (JSON.parse does). */
export function jsonBoundsProblem(text: string, maxDepth: number, maxElements: number): string | null {
  let depth = 0;
  let elements = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
      continue;
    }
    if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      if (++depth > maxDepth) return `nested deeper than ${maxDepth} levels`;
    } else if (c === 93 || c === 125) depth--;
    // Every value after the first in a container is preceded by a comma; containers count themselves.
    if (c === 44 || c === 91 || c === 123) {
      if (++elements > maxElements) return `more than ${maxElements} elements`;
    }
  }
  return null;
}
