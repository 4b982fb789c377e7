// The outside-text rule for the request line: every path segment and query value must decode as UTF-8
// (a lone surrogate sent as its raw WTF-8 bytes does not, and made Next's own parameter decoding throw)
// and pass lib/input/text.ts. Checked once for every request, before any page or route reads them.
import { textProblem } from "@/lib/input/text";

export function urlProblem(url: URL): string | null {
  for (const segment of url.pathname.split("/")) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return "The address is not valid UTF-8.";
    }
    const problem = textProblem(decoded);
    if (problem) return `The address ${problem}.`;
  }
  for (const [key, value] of url.searchParams) {
    // URLSearchParams decodes bytes that are not UTF-8 to U+FFFD; the rule then judges what is left.
    const problem = textProblem(key) ?? textProblem(value);
    if (problem) return `The query parameter “${key.slice(0, 40)}” ${problem}.`;
  }
  return null;
}
