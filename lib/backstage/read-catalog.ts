import "server-only";
import { parseYamlDocuments, type Body } from "@/lib/input/parse-body";
import { readCatalogBundle } from "@/lib/backstage/catalog-bundle";
import type { EntitySource } from "@/lib/backstage/catalog-definitions";

export const MAX_CATALOG_BYTES = 5 * 1024 * 1024;
const MAX_ENTITIES = 5000;

/** A catalog as YAML text (or its bytes), or a ZIP bundle's bytes. */
export type CatalogUpload = Body | { bundle: Uint8Array };

type Read = { docs: { doc: unknown; source: EntitySource }[]; error?: undefined } | { error: string[] };

/** The entities of the upload, each with the catalog file it came from, or why none can be read. */
export async function readEntities(upload: CatalogUpload): Promise<Read> {
  const read =
    typeof upload === "object" && "bundle" in upload ? await readBundle(upload.bundle) : await readYaml(upload);
  if (read.error) return read;
  if (read.docs.length === 0) return { error: ["The file holds no entities."] };
  if (read.docs.length > MAX_ENTITIES)
    return { error: [`The file holds ${read.docs.length} entities; the limit is ${MAX_ENTITIES}.`] };
  return read;
}

async function readYaml(body: Body): Promise<Read> {
  if ((typeof body === "string" ? Buffer.byteLength(body) : body.byteLength) > MAX_CATALOG_BYTES)
    return { error: [`The file is larger than ${MAX_CATALOG_BYTES / 1048576} MB.`] };
  // Large files are parsed in a worker thread (lib/input/parse-body.ts), so the server keeps answering.
  const { docs, error } = await parseYamlDocuments(body);
  return error ? { error: [error] } : { docs: docs.map((doc) => ({ doc, source: null })) };
}

/** Every catalog file's entities in path order, each resolving its references from its own folder. */
async function readBundle(bytes: Uint8Array): Promise<Read> {
  const read = await readCatalogBundle(bytes, MAX_CATALOG_BYTES);
  if ("errors" in read) return { error: read.errors };
  const docs: { doc: unknown; source: EntitySource }[] = [];
  for (const catalog of read.bundle.catalogs) {
    const parsed = await parseYamlDocuments(catalog.text);
    if (parsed.error) return { error: [`${catalog.path}: ${parsed.error}`] };
    for (const doc of parsed.docs) docs.push({ doc, source: { bundle: read.bundle, catalogPath: catalog.path } });
  }
  return { docs };
}
