// The layer diagram in ARCHITECTURE.md, drawn from the code's own imports so it cannot drift:
// `npm run architecture` rewrites it, and diagram.test.ts fails when the document is out of date or a
// layer imports past its neighbour. Counts, not names: the picture says how the house is built.
import fs from "node:fs";
import path from "node:path";

const SOURCE = /\.(ts|tsx|mts)$/;
const NOT_PRODUCT = /(\.test\.ts|\.suite\.ts|\.load\.ts|\.d\.ts)$|^lib\/(generated|testing|hostile|cli|architecture)\//;

type Source = { file: string; imports: string[]; text: string };

function walk(root: string, dir: string): string[] {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) return walk(root, rel);
    return SOURCE.test(entry.name) && !NOT_PRODUCT.test(rel) ? [rel] : [];
  });
}

export function readSources(root: string): Source[] {
  return ["app", "components", "lib"].flatMap((dir) =>
    walk(root, dir).map((file) => {
      const text = fs.readFileSync(path.join(root, file), "utf8");
      const imports = [...text.matchAll(/^(?:import|export)[^"'`]*?from\s+["'](@\/[^"']+)["']/gm)].map((m) =>
        m[1]!.slice(2),
      );
      return { file, imports, text };
    }),
  );
}

const domainOf = (file: string) => file.split("/")[1]!.replace(/\.tsx?$/, "");
const importsOf = (sources: Source[], target: string) =>
  sources.filter((s) => s.imports.some((i) => i === target || i === target.replace(/\.tsx?$/, "")));

/** The diagram as text (a fenced block's contents). */
export function architectureDiagram(root: string): string {
  const sources = readSources(root);
  const app = sources.filter((s) => s.file.startsWith("app/"));
  const pages = app.filter((s) => /\/page\.tsx$/.test(s.file)).length;
  const routes = app.filter((s) => /\/route\.ts$/.test(s.file)).length;
  const components = sources.filter((s) => s.file.startsWith("components/")).length;
  const lib = sources.filter((s) => s.file.startsWith("lib/"));
  const actionFiles = lib.filter((s) => /^lib\/[^/]+\/actions\.ts$/.test(s.file));
  const serverActions = actionFiles.reduce(
    (n, s) => n + [...s.text.matchAll(/^export async function \w+Action\b/gm)].length,
    0,
  );
  const writers = importsOf(lib, "lib/audit/authorized-write.ts").filter((s) => /\bauthorizedWrite\(/.test(s.text));
  const writerDomains = new Set(writers.map((s) => domainOf(s.file)));
  const queries = lib.filter((s) => /^lib\/[^/]+\/queries\.ts$/.test(s.file)).length;
  const readers = lib.filter((s) => /import \{[^}]*\bdb\b[^}]*\} from "@\/lib\/db"/.test(s.text));
  const writable = sources
    .filter((s) => /writableClientForAuthorizedWrite/.test(s.text) && s.file !== "lib/db/client.ts")
    .map((s) => s.file);
  const policyUsers = sources.filter((s) => s.imports.includes("lib/authz/policy")).length;
  // Must stay 0 (eslint.config.mjs refuses them too).
  const uiToDb = sources.filter(
    (s) => !s.file.startsWith("lib/") && s.imports.some((i) => i === "lib/db/client" || i.startsWith("lib/generated")),
  );
  const domains = new Set(lib.filter((s) => s.file.split("/").length > 2).map((s) => domainOf(s.file)));
  const pad = (s: string) => s.padEnd(50);
  return [
    `${pad(`app/  ${pages} pages, ${routes} route handlers`)}routing and composition`,
    `  │ renders${" ".repeat(39)}REST: lib/rest (token → policy → service)`,
    `${pad(`components/  ${components} files`)}presentational; never the database (${uiToDb.length} imports)`,
    `  │ calls server actions`,
    `${pad(`lib/<domain>/actions.ts  ${actionFiles.length} files, ${serverActions} actions`)}thin: session → service`,
    `  │${" ".repeat(47)}reads: ${queries} queries.ts files, ${readers.length} files read \`db\` (refuses writes)`,
    `${pad(`lib/<domain>/ services  ${writers.length} files`)}that write, in ${writerDomains.size} of ${domains.size} lib/ folders`,
    `  │ authorizedWrite(ctx, permission, work)`,
    `${pad("lib/audit/authorized-write.ts")}one transaction: writers' lock → load target →`,
    `  │         │${" ".repeat(37)}lib/authz/policy (${policyUsers} importers) → change → turn: audit entry`,
    `  │         └─ lib/audit/chain.ts: hash chain, signed checkpoints`,
    `${pad("lib/db/client.ts")}writable client taken by: ${writable.join(", ") || "nobody"}`,
  ].join("\n");
}

const BEGIN = "<!-- architecture:begin (npm run architecture) -->";
const END = "<!-- architecture:end -->";

/** ARCHITECTURE.md with its diagram block replaced by the current one. */
export function withDiagram(markdown: string, diagram: string): string {
  const start = markdown.indexOf(BEGIN);
  const end = markdown.indexOf(END);
  if (start < 0 || end < start) throw new Error(`ARCHITECTURE.md has no ${BEGIN} … ${END} block`);
  return `${markdown.slice(0, start)}${BEGIN}\n\`\`\`text\n${diagram}\n\`\`\`\n${markdown.slice(end)}`;
}
