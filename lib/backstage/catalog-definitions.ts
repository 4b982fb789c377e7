import "server-only";
import { createHash } from "node:crypto";
import type { WriteContext } from "@/lib/audit/authorized-write";
import { db } from "@/lib/db/client";
import { triStateToBool, type TApiInput } from "@/lib/apis/schemas";
import { attachDescription, attachDescriptionFromUrl } from "@/lib/openapi-scan/attach-description";
import { fetchRefusal } from "@/lib/openapi-scan/fetch-description";
import { parseDescription } from "@/lib/openapi-scan/parse";
import { scanDescription } from "@/lib/openapi-scan/scan";
import { readBundleDefinition, type CatalogBundle } from "@/lib/backstage/catalog-bundle";

// What becomes of an entity's $text / $json / $yaml definition: one on a host an admin allowed is fetched,
// one relative to a catalog file in an uploaded bundle is read from it — each scanned and attached to the
// API after the import, as its own audited attachment (the path an upload or a fetch on the API's page
// takes), so a definition that fails leaves the import as written and says why on the entity's row.

type Reference = { kind: "$text" | "$json" | "$yaml"; target: string };
export type PlannedDefinition = { url: string } | { path: string; text: string };
/** Where the entity was read from: a bundle's catalog file, whose folder relative references start in. */
export type EntitySource = { bundle: CatalogBundle; catalogPath: string } | null;

const isUrl = (target: string) => /^https?:\/\//i.test(target);
const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

/** The SHA-256 of each API's attached description: a bundle's definition that is the same is not attached again. */
export async function attachedDescriptions(apiIds: string[]): Promise<Map<string, string>> {
  const rows = await db.apiDescription.findMany({
    where: { apiId: { in: apiIds } },
    select: { apiId: true, fileSha256: true },
  });
  return new Map(rows.map((d) => [d.apiId, d.fileSha256]));
}

/**
 * The definition to attach once the entity is imported, or null; the row's notes say which file or URL
 * and what its scan found, or why nothing is attached. `attached` is the SHA-256 of the description the
 * API has now: a bundle file that is the same is not attached again. An entity the import leaves
 * unchanged has its definition read only from a bundle (a repository's openapi.yaml moves on while its
 * catalog-info.yaml does not), and only for someone who may change the API.
 */
export function planDefinition(
  ref: Reference | null,
  source: EntitySource,
  context: {
    fetchHosts: string;
    input: TApiInput;
    attached: string | null;
    writesEntity: boolean;
    mayUpdate: () => boolean;
  },
  notes: string[],
): PlannedDefinition | null {
  if (!ref) return null;
  if (!context.writesEntity) {
    if (!source || isUrl(ref.target)) return null;
    if (!context.mayUpdate()) {
      notes.push("Not read from the bundle: you cannot change this API.");
      return null;
    }
  }
  if (isUrl(ref.target)) {
    const refusal = fetchRefusal(ref.target, context.fetchHosts);
    notes.push(
      refusal
        ? `Not fetched: ${refusal}`
        : "Its host is allowed: the definition is fetched, scanned and attached once imported.",
    );
    return refusal ? null : { url: ref.target };
  }
  if (!source) {
    notes.push(
      "Not read: a file beside the catalog is read from a ZIP bundle holding catalog-info.yaml and the file; or attach the description on the API's page.",
    );
    return null;
  }
  const read = readBundleDefinition(source.bundle, source.catalogPath, ref);
  if ("problem" in read) {
    notes.push(`Not read from the bundle: ${read.problem}`);
    return null;
  }
  let summary: string;
  try {
    const description = parseDescription(read.text);
    const { input } = context;
    const scan = scanDescription(description, {
      sensitivity: input.sensitivity,
      readsNonPublic: triStateToBool(input.readsNonPublic),
      authMethods: input.authMethods,
    });
    summary = `${description.dialect}, ${scan.counts.operations} operation(s), ${scan.counts.unsecuredWrites} without authentication among ${scan.counts.writes} write(s), ${scan.findings.length} finding(s)`;
  } catch (error) {
    notes.push(
      `Not attached: ${read.path} in the bundle is not a description ApiLedger scans: ${(error as Error).message}`,
    );
    return null;
  }
  if (context.attached === sha256(read.text)) {
    notes.push(`Read ${read.path} from the bundle (${summary}): the API already has this description attached.`);
    return null;
  }
  notes.push(`Read ${read.path} from the bundle (${summary}): scanned and attached once imported.`);
  return { path: read.path, text: read.text };
}

/** Attaches each planned definition to its imported API, saying on the row what happened. */
export async function attachDefinitions(
  ctx: WriteContext,
  planned: { apiId: string; definition: PlannedDefinition; notes: string[] }[],
): Promise<void> {
  // The import's own write answers a retry with the same Idempotency-Key; the attachments after it are
  // writes of their own, which would otherwise find that key used and replay instead of attaching.
  const attachCtx: WriteContext = { ...ctx, idempotency: undefined };
  for (const { apiId, definition, notes } of planned) {
    const what = "url" in definition ? "The description could not be fetched" : "The description could not be attached";
    try {
      const scan =
        "url" in definition
          ? await attachDescriptionFromUrl(attachCtx, apiId, definition.url)
          : await attachDescription(attachCtx, apiId, definition.text, { kind: "upload", url: definition.path });
      notes.push(
        `Description ${"url" in definition ? "fetched" : `${definition.path} read from the bundle`} and attached: ${scan.counts.operations} operation(s), ${scan.findings.length} finding(s).`,
      );
    } catch (error) {
      notes.push(`${what} (${error instanceof Error ? error.message : String(error)}); the reference is kept.`);
    }
  }
}
