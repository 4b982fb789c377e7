import path from "node:path";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { readZipUpload, resolveInside, type ZipLimits } from "@/lib/input/zip-upload";
import { MAX_DESCRIPTION_BYTES } from "@/lib/openapi-scan/parse";

// A Backstage catalog uploaded as a ZIP bundle: what a repository holds — catalog-info.yaml and the
// definition files its entities reference with $text / $json / $yaml — so references relative to the
// catalog file can be read without the server fetching anything. The catalog files are every
// catalog-info.yaml (or .yml) in the bundle, at the top or in folders (a repository downloaded as a ZIP
// has one folder around everything; a monorepo has one per component); each one's references resolve
// from its own folder and may never leave the bundle. Other files are read only when referenced.

/** Per file above the description limit, so a definition too large to scan is named as such on its row. */
export const BUNDLE_LIMITS: ZipLimits = {
  maxEntries: 1000,
  maxEntryBytes: 16 * 1024 * 1024,
  maxTotalBytes: 40 * 1024 * 1024,
  maxRatio: 100,
  ratioFloorBytes: 64 * 1024,
};
const CATALOG_FILE = /(^|\/)catalog-info\.ya?ml$/i;

export type CatalogFile = { path: string; text: string };
export type CatalogBundle = { catalogs: CatalogFile[]; files: Map<string, Buffer> };

const utf8 = (bytes: Buffer): string | null => {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
};

/** The bundle's catalog files and every file beside them, or why the bundle is refused. */
export async function readCatalogBundle(
  bytes: Uint8Array,
  maxCatalogBytes: number,
): Promise<{ bundle: CatalogBundle } | { errors: string[] }> {
  const zip = await readZipUpload(bytes, BUNDLE_LIMITS);
  if (!zip.ok) return { errors: zip.errors };
  const catalogs: CatalogFile[] = [];
  const errors: string[] = [];
  for (const [name, content] of [...zip.files].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!CATALOG_FILE.test(name)) continue;
    const text = utf8(content);
    if (content.byteLength > maxCatalogBytes) errors.push(`${name} is larger than ${maxCatalogBytes / 1048576} MB.`);
    else if (text === null) errors.push(`${name} is not UTF-8 text.`);
    else catalogs.push({ path: name, text });
  }
  if (!catalogs.length && !errors.length)
    errors.push(
      "The bundle holds no catalog-info.yaml: put the catalog file in the ZIP beside the definitions it references.",
    );
  return errors.length ? { errors } : { bundle: { catalogs, files: zip.files } };
}

export type BundleDefinition = { path: string; text: string } | { path: string | null; problem: string };

/**
 * The file a relative $text / $json / $yaml reference of the catalog file `catalogPath` names, as the
 * description to scan: $text is the file's text as written; $json and $yaml must parse as JSON or YAML,
 * as Backstage's own resolver requires, and what is kept is the parsed value, written out again.
 */
export function readBundleDefinition(
  bundle: CatalogBundle,
  catalogPath: string,
  ref: { kind: "$text" | "$json" | "$yaml"; target: string },
): BundleDefinition {
  const where = resolveInside(path.posix.dirname(catalogPath), ref.target);
  if ("problem" in where) return { path: null, problem: `${ref.target} ${where.problem}.` };
  const file = bundle.files.get(where.path);
  if (!file) return { path: where.path, problem: `${where.path} is not in the bundle.` };
  if (file.byteLength > MAX_DESCRIPTION_BYTES)
    return { path: where.path, problem: `${where.path} is larger than ${MAX_DESCRIPTION_BYTES / 1048576} MB.` };
  const text = utf8(file);
  if (text === null) return { path: where.path, problem: `${where.path} is not UTF-8 text.` };
  if (ref.kind === "$text") return { path: where.path, text };
  try {
    return ref.kind === "$json"
      ? { path: where.path, text: `${JSON.stringify(JSON.parse(text), null, 2)}\n` }
      : { path: where.path, text: stringifyYaml(parseYaml(text, { maxAliasCount: 1000, uniqueKeys: false })) };
  } catch (error) {
    const first = (error as Error).message.split("\n")[0];
    return { path: where.path, problem: `${where.path} is not ${ref.kind === "$json" ? "JSON" : "YAML"}: ${first}` };
  }
}
