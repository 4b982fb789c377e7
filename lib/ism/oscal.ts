// Reads ASD's ISM as an OSCAL catalog (JSON). Only what ApiLedger shows is kept: each control's id,
// statement, revision, last-updated month, applicability (NC/OS/P/S/TS) and the section it sits in.
// Anything that is not an OSCAL catalog is refused with a message saying what is wrong.
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { cleanInput } from "@/lib/input/text";

const ZProp = z.object({ name: z.string(), value: z.string() }).passthrough();
const ZPart = z.object({ name: z.string(), prose: z.string().optional() }).passthrough();
type RawControl = {
  id: string;
  title?: string;
  props?: z.infer<typeof ZProp>[];
  parts?: z.infer<typeof ZPart>[];
  controls?: RawControl[];
};
type RawGroup = { title?: string; groups?: RawGroup[]; controls?: RawControl[] };

const ZControl: z.ZodType<RawControl> = z.lazy(() =>
  z
    .object({
      id: z.string().min(1),
      title: z.string().optional(),
      props: z.array(ZProp).optional(),
      parts: z.array(ZPart).optional(),
      controls: z.array(ZControl).optional(),
    })
    .passthrough(),
);
const ZGroup: z.ZodType<RawGroup> = z.lazy(() =>
  z
    .object({
      title: z.string().optional(),
      groups: z.array(ZGroup).optional(),
      controls: z.array(ZControl).optional(),
    })
    .passthrough(),
);
const ZCatalogFile = z.object({
  catalog: z
    .object({
      uuid: z.string(),
      metadata: z
        .object({ title: z.string(), version: z.string(), "last-modified": z.string(), "oscal-version": z.string() })
        .passthrough(),
      groups: z.array(ZGroup).optional(),
      controls: z.array(ZControl).optional(),
    })
    .passthrough(),
});

export type CatalogControl = {
  controlId: string;
  title: string;
  statement: string;
  revision: string;
  updated: string;
  applicability: string[];
  section: string;
};

export type ParsedCatalog = {
  release: string;
  title: string;
  lastModified: string;
  oscalVersion: string;
  controls: CatalogControl[];
};

/** A refused catalog file: the message is also the file field's error, so the form shows it on the field. */
const invalidCatalog = (message: string) => new AppError("INVALID_FILE", message, { catalog: [message] });

export const MAX_CATALOG_BYTES = 25 * 1024 * 1024;

export function parseOscalCatalog(bytes: Uint8Array | string): ParsedCatalog {
  const size = typeof bytes === "string" ? Buffer.byteLength(bytes) : bytes.byteLength;
  if (size > MAX_CATALOG_BYTES)
    throw invalidCatalog(
      `The file is ${(size / 1048576).toFixed(1)} MB; the limit for a catalog is ${MAX_CATALOG_BYTES / 1048576} MB.`,
    );
  let json: unknown;
  try {
    json = JSON.parse(typeof bytes === "string" ? bytes : new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    throw invalidCatalog(
      "The file is not JSON. Upload the ISM catalog in OSCAL JSON format (ISM_catalog-YYYY.MM.json from ASD's ISM releases).",
    );
  }
  try {
    json = cleanInput(json);
  } catch (error) {
    const [where, messages] = Object.entries((error as AppError).fieldErrors ?? {})[0] ?? [
      "",
      [(error as Error).message],
    ];
    throw invalidCatalog(
      `The catalog cannot be imported: at ${where}, ${messages[0]?.replace(/^./, (c) => c.toLowerCase())}`,
    );
  }
  const parsed = ZCatalogFile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? ` (at ${issue.path.join(".")})` : "";
    const hint =
      json &&
      typeof json === "object" &&
      !("catalog" in json) &&
      ("profile" in json ? " It is an OSCAL profile (a baseline), not the catalog." : "");
    throw invalidCatalog(
      `The file is not an OSCAL catalog: ${issue?.message ?? "unexpected structure"}${where}.${hint || ""}`,
    );
  }
  const { metadata, groups = [], controls = [] } = parsed.data.catalog;
  const out: CatalogControl[] = [];
  const visit = (control: RawControl, section: string) => {
    const props = control.props ?? [];
    const statement = (control.parts ?? [])
      .filter((p) => p.name === "statement")
      .map((p) => p.prose ?? "")
      .join("\n")
      .trim();
    out.push({
      controlId: control.id,
      title: control.title ?? control.id,
      statement,
      revision: props.find((p) => p.name === "revision")?.value ?? "",
      updated: props.find((p) => p.name === "updated")?.value ?? "",
      applicability: props.filter((p) => p.name === "applicability").map((p) => p.value),
      section,
    });
    for (const child of control.controls ?? []) visit(child, section);
  };
  const walk = (group: RawGroup, path: string[]) => {
    const here = group.title ? [...path, group.title] : path;
    for (const control of group.controls ?? []) visit(control, here.join(" › "));
    for (const child of group.groups ?? []) walk(child, here);
  };
  for (const control of controls) visit(control, "");
  for (const group of groups) walk(group, []);
  if (out.length === 0) throw invalidCatalog("The catalog has no controls.");
  const ids = new Set<string>();
  for (const c of out) {
    if (ids.has(c.controlId)) throw invalidCatalog(`The catalog lists control ${c.controlId} twice.`);
    ids.add(c.controlId);
  }
  return {
    release: metadata.version,
    title: metadata.title,
    lastModified: metadata["last-modified"],
    oscalVersion: metadata["oscal-version"],
    controls: out,
  };
}

export type CatalogDiff = {
  added: CatalogControl[];
  removed: CatalogControl[];
  revised: { before: CatalogControl; after: CatalogControl; changes: string[] }[];
};

/**
 * What changed between two releases. `relevant` ids (controls that apply to registered APIs) sort
 * first in every list, then by control id.
 */
export function diffCatalogs(
  before: readonly CatalogControl[],
  after: readonly CatalogControl[],
  relevant: ReadonlySet<string> = new Set(),
): CatalogDiff {
  const old = new Map(before.map((c) => [c.controlId, c]));
  const now = new Map(after.map((c) => [c.controlId, c]));
  const order = (a: { controlId: string }, b: { controlId: string }) =>
    Number(relevant.has(b.controlId)) - Number(relevant.has(a.controlId)) ||
    a.controlId.localeCompare(b.controlId, "en", { numeric: true });
  const added = after.filter((c) => !old.has(c.controlId)).sort(order);
  const removed = before.filter((c) => !now.has(c.controlId)).sort(order);
  const revised = after
    .filter((c) => old.has(c.controlId))
    .map((c) => {
      const b = old.get(c.controlId)!;
      const changes: string[] = [];
      if (b.revision !== c.revision) changes.push(`revision ${b.revision || "–"} → ${c.revision || "–"}`);
      if (b.statement !== c.statement) changes.push("statement changed");
      if (b.applicability.join(",") !== c.applicability.join(","))
        changes.push(`applicability ${b.applicability.join("/") || "–"} → ${c.applicability.join("/") || "–"}`);
      return { before: b, after: c, changes, controlId: c.controlId };
    })
    .filter((r) => r.changes.length > 0)
    .sort(order)
    .map(({ controlId: _id, ...r }) => r);
  return { added, removed, revised };
}
