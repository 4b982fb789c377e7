import "server-only";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import * as fontkit from "fontkit";

// The fonts report.pdf embeds: Noto, from the @fontsource packages on the npm registry (nothing is
// fetched at run time). Noto Sans covers Latin (with the macrons of te reo Māori), Greek, Cyrillic and
// Vietnamese; Noto Sans Symbols 2 the ticks and arrows; Noto Sans SC the Chinese and Japanese
// ideographs. Each package ships one file per Unicode subset (unicode.json names each subset's
// ranges), so every run of text is set in the first family whose subset covers its characters and
// whose font really has the glyphs.

export type Weight = 400 | 700;
type Face = { key: string; file: string };
type Subset = { file: (weight: Weight) => string; ranges: [number, number][] };

/** In order of preference; a family without a bold face uses its regular one. */
const FAMILIES = [
  { pkg: "@fontsource/noto-sans", name: "noto-sans", weights: [400, 700] },
  { pkg: "@fontsource/noto-sans-symbols-2", name: "noto-sans-symbols-2", weights: [400] },
  { pkg: "@fontsource/noto-sans-sc", name: "noto-sans-sc", weights: [400, 700] },
] as const;

const requireFromApp = createRequire(path.join(process.cwd(), "package.json"));

function parseRanges(text: string): [number, number][] {
  return text.split(",").map((part) => {
    const [from, to] = part.trim().replace(/^U\+/i, "").split("-");
    const start = parseInt(from!, 16);
    return [start, to ? parseInt(to, 16) : start];
  });
}

let subsets: Subset[] | null = null;
function allSubsets(): Subset[] {
  if (subsets) return subsets;
  subsets = FAMILIES.flatMap((family) => {
    const dir = path.dirname(requireFromApp.resolve(`${family.pkg}/package.json`));
    const unicode = JSON.parse(fs.readFileSync(path.join(dir, "unicode.json"), "utf8")) as Record<string, string>;
    return Object.entries(unicode).map(([subset, ranges]) => {
      // "[12]" for the numbered CJK slices, "latin-ext" for the named ones.
      const id = subset.replace(/^\[(\d+)\]$/, "$1");
      return {
        ranges: parseRanges(ranges),
        file: (weight: Weight) => {
          const w = (family.weights as readonly number[]).includes(weight) ? weight : 400;
          return path.join(dir, "files", `${family.name}-${id}-${w}-normal.woff`);
        },
      };
    });
  });
  return subsets;
}

const glyphs = new Map<string, fontkit.Font>();
function hasGlyph(file: string, codePoint: number): boolean {
  let font = glyphs.get(file);
  if (!font) {
    font = fontkit.create(fs.readFileSync(file)) as fontkit.Font;
    glyphs.set(file, font);
  }
  return font.hasGlyphForCodePoint(codePoint);
}

const chosen = new Map<string, Face | null>();
/** The face for one character, or null when none of the fonts has it. */
export function faceFor(codePoint: number, weight: Weight): Face | null {
  const cacheKey = `${codePoint}:${weight}`;
  if (chosen.has(cacheKey)) return chosen.get(cacheKey)!;
  let face: Face | null = null;
  for (const subset of allSubsets()) {
    if (!subset.ranges.some(([a, b]) => codePoint >= a && codePoint <= b)) continue;
    const file = subset.file(weight);
    if (fs.existsSync(file) && hasGlyph(file, codePoint)) {
      face = { key: path.basename(file, ".woff"), file };
      break;
    }
  }
  chosen.set(cacheKey, face);
  return face;
}

export type Run = { face: Face; text: string };

/**
 * The text cut into runs of one face each. Spaces and marks stay in the run they follow; a character
 * no font has is replaced by U+FFFD (shown as a box, and extractable as "not printable") rather than
 * failing the export.
 */
export function runsOf(text: string, weight: Weight): Run[] {
  const base = faceFor(0x61, weight)!;
  const runs: Run[] = [];
  for (const ch of text.replace(/[\r\n\t]+/g, " ")) {
    const cp = ch.codePointAt(0)!;
    const last = runs[runs.length - 1];
    const inherits = last && (cp === 0x20 || /\p{M}/u.test(ch));
    const face = inherits ? last.face : (faceFor(cp, weight) ?? faceFor(0xfffd, weight) ?? base);
    const printable = inherits || faceFor(cp, weight) ? ch : "\ufffd";
    if (last && last.face.key === face.key) last.text += printable;
    else runs.push({ face, text: printable });
  }
  return runs;
}
