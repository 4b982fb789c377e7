import "server-only";
import { authorizedWrite, type WriteContext } from "@/lib/audit/authorized-write";
import { can, requirePermission, requireRolePermission, type Target } from "@/lib/authz/policy";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { getApi } from "@/lib/apis/queries";
import { toEditInput } from "@/lib/apis/edit-input";
import { enumOf, ZApiInput, type TApiInput } from "@/lib/apis/schemas";
import { z } from "zod";
import { insertApi } from "@/lib/apis/create-api";
import { applyApiUpdate } from "@/lib/apis/update-api";
import { fieldErrorsOf } from "@/lib/input/validation";
import { fromEntity, type CatalogDefaults } from "@/lib/backstage/entity";
import { parseOrThrow } from "@/lib/input/validation";
import { SENSITIVITIES } from "@/lib/apis/enums";
import { placementProblem } from "@/lib/apis/placement";
import { TimeSlice } from "@/lib/runtime/event-loop";
import { getSettings } from "@/lib/settings/queries";
import { readEntities, type CatalogUpload } from "@/lib/backstage/read-catalog";
// The upload limit lives with the reading; the route, the actions and the contract suite take it from here.
export { MAX_CATALOG_BYTES } from "@/lib/backstage/read-catalog";
import {
  attachDefinitions,
  attachedDescriptions,
  planDefinition,
  type EntitySource,
  type PlannedDefinition,
} from "@/lib/backstage/catalog-definitions";

// Importing a Backstage catalog (kind: API entities): a dry run shows, per entity, whether it creates,
// updates (and which fields) or leaves an inventory entry unchanged; any invalid entity means nothing
// is written. The import applies every change in one transaction. The catalog is a YAML file, or a ZIP
// bundle of catalog-info.yaml files with the definitions they reference (lib/backstage/catalog-bundle.ts).

export type BackstageCatalogRow = {
  line: number;
  name: string;
  action: "create" | "update" | "unchanged" | "skipped" | null;
  changes: string[];
  errors: string[];
  /** What the person should know that is neither a change nor an error (a definition kept as a reference). */
  notes?: string[];
};
export type BackstageCatalogPreview = {
  ok: boolean;
  fileErrors: string[];
  rows: BackstageCatalogRow[];
  creates: number;
  updates: number;
  invalid: number;
};
type Planned = {
  row: BackstageCatalogRow;
  input: TApiInput;
  id: string | null;
  target: Target;
  /** Unchanged entities are planned only to attach a definition from the bundle. */
  writesEntity: boolean;
  /** A definition on an allowed host or in the bundle: scanned and attached once the import is written. */
  definition: PlannedDefinition | null;
};

const show = (v: unknown) =>
  Array.isArray(v) ? v.join(", ") || "—" : v === "" || v === null || v === undefined ? "—" : String(v);

async function plan(
  ctx: WriteContext,
  upload: CatalogUpload,
  defaults: CatalogDefaults,
): Promise<{ preview: BackstageCatalogPreview; planned: Planned[] }> {
  const fail = (fileErrors: string[]) => ({
    preview: { ok: false, fileErrors, rows: [], creates: 0, updates: 0, invalid: 0 },
    planned: [],
  });
  const read = await readEntities(upload);
  if (read.error) return fail(read.error);
  const { docs } = read;
  const [teams, people, apis, settings] = await Promise.all([
    db.team.findMany({ select: { id: true, name: true } }),
    db.user.findMany({ where: { isActive: true }, select: { id: true, email: true, teamId: true } }),
    db.api.findMany({ where: { deletedAt: null }, select: { id: true, name: true } }),
    getSettings(),
  ]);
  const byName = new Map(apis.map((a) => [a.name.toLowerCase(), a.id]));
  const currentCache = new Map<string, { input: TApiInput; target: Target } | null>();
  // APIs the actor may not read (another team's, for a team-limited token): refused by row, never diffed.
  const unreadable = new Set<string>();
  const load = async (id: string) => {
    if (!currentCache.has(id)) {
      const api = await getApi(ctx.actor, id).catch((error: unknown) => {
        if (error instanceof AppError && error.code === "FORBIDDEN") unreadable.add(id);
        return null;
      });
      currentCache.set(
        id,
        api ? { input: toEditInput(api), target: { ownerId: api.ownerId, teamId: api.teamId } } : null,
      );
    }
    return currentCache.get(id) ?? null;
  };
  // Pre-load the entries the entities refer to, so the pure mapping can look them up synchronously.
  // On SQLite each read runs on this thread: a catalog of 5,000 known APIs is 5,000 reads.
  const slice = new TimeSlice();
  for (const { doc } of docs) {
    if (slice.due) await slice.yield();
    const meta = ((doc as Record<string, unknown>)?.metadata ?? {}) as Record<string, unknown>;
    const annotations = (meta.annotations ?? {}) as Record<string, unknown>;
    const id = typeof annotations["apiledger.io/id"] === "string" ? (annotations["apiledger.io/id"] as string) : null;
    const title = typeof meta.title === "string" ? meta.title : typeof meta.name === "string" ? meta.name : "";
    const found = id ?? byName.get(title.toLowerCase().trim());
    if (found) await load(found);
  }
  const attached = docs.some((d) => d.source) ? await attachedDescriptions([...currentCache.keys()]) : new Map();
  const resolveId = (id: string | null, name: string) =>
    id && currentCache.get(id) ? id : (byName.get(name.toLowerCase().trim()) ?? null);
  const seen = new Map<string, number>();
  const planned: Planned[] = [];
  const planRow = ({ doc, source }: { doc: unknown; source: EntitySource }, i: number): BackstageCatalogRow => {
    const line = i + 1;
    const kind = (doc as Record<string, unknown>)?.kind;
    if (kind !== "API")
      return {
        line,
        name: String(((doc as Record<string, unknown>)?.metadata as Record<string, unknown> | undefined)?.name ?? ""),
        action: "skipped",
        changes: [`kind ${String(kind)} is not imported (only kind: API).`],
        errors: [],
      };
    const mapped = fromEntity(
      doc,
      teams,
      people,
      (id, name) => {
        const existing = resolveId(id, name);
        return existing ? (currentCache.get(existing)?.input ?? null) : null;
      },
      defaults,
    );
    if ("errors" in mapped) return { line, name: mapped.name, action: null, changes: [], errors: mapped.errors };
    const row: BackstageCatalogRow = {
      line,
      name: mapped.name,
      action: null,
      changes: [],
      errors: [],
      notes: mapped.notes,
    };
    const parsed = ZApiInput.safeParse(mapped.input);
    if (!parsed.success)
      for (const [field, messages] of Object.entries(fieldErrorsOf(parsed.error)))
        row.errors.push(`${field}: ${messages[0]}`);
    const existingId = resolveId(mapped.id, mapped.name);
    if ([existingId, mapped.id].some((id) => id && unreadable.has(id)))
      return { ...row, errors: ["This API belongs to a team your token is not limited to."] };
    if (mapped.id && !currentCache.get(mapped.id))
      row.errors.push(`apiledger.io/id ${mapped.id} is not an API in this inventory.`);
    const key = existingId ?? `new:${mapped.name.toLowerCase()}`;
    if (seen.has(key)) row.errors.push(`Entity ${seen.get(key)} already describes this API.`);
    seen.set(key, line);
    const current = existingId ? currentCache.get(existingId)! : null;
    const target: Target = current
      ? current.target
      : { teamId: mapped.input.teamId, ownerId: mapped.input.ownerId || null };
    if (row.errors.length || !parsed.success) return row;
    // A changed team or owner is checked as a placement (the write checks it again, with open reviews).
    const ownerId = parsed.data.ownerId || null;
    const placement = placementProblem(
      ctx.actor,
      current ? { teamId: current.input.teamId, ownerId: current.input.ownerId || null } : null,
      { teamId: parsed.data.teamId, ownerId },
      people.find((p) => p.id === ownerId)?.teamId ?? null,
    );
    if (placement) row.errors.push(placement.message);
    if (current) {
      for (const field of Object.keys(parsed.data) as (keyof TApiInput)[]) {
        if (JSON.stringify(parsed.data[field]) !== JSON.stringify(current.input[field]))
          row.changes.push(`${field}: ${show(current.input[field])} → ${show(parsed.data[field])}`);
      }
      // An entity that changes nothing needs no permission: a whole-catalog export re-imports cleanly.
      if (row.changes.length && !can(ctx.actor, "api:update", current.target))
        row.errors.push("You cannot change this API.");
      row.action = row.errors.length ? null : row.changes.length ? "update" : "unchanged";
    } else {
      if (!can(ctx.actor, "api:create", target)) row.errors.push("You cannot register APIs into this team.");
      row.action = row.errors.length ? null : "create";
    }
    if (row.errors.length) return row;
    // An unchanged entity's definition is read only from a bundle (a repository's openapi.yaml moves on
    // while its catalog-info.yaml does not), and only for someone who may change the API.
    const writesEntity = row.action !== "unchanged";
    const definition = planDefinition(
      mapped.definitionRef,
      source,
      {
        fetchHosts: settings.specFetchHosts,
        input: parsed.data,
        attached: (existingId && attached.get(existingId)) || null,
        writesEntity,
        mayUpdate: () => can(ctx.actor, "api:update", target),
      },
      row.notes!,
    );
    if (writesEntity || definition)
      planned.push({ row, input: parsed.data, id: existingId, target, writesEntity, definition });
    return row;
  };
  const rows: BackstageCatalogRow[] = [];
  for (let i = 0; i < docs.length; i++) {
    if (slice.due) await slice.yield();
    rows.push(planRow(docs[i]!, i));
  }
  const invalid = rows.filter((r) => r.errors.length).length;
  return {
    preview: {
      ok: invalid === 0,
      fileErrors: [],
      rows,
      creates: rows.filter((r) => r.action === "create").length,
      updates: rows.filter((r) => r.action === "update").length,
      invalid,
    },
    planned,
  };
}

/** The import's choices for entities that do not say their team or sensitivity (empty = refuse those). */
export const ZCatalogDefaults = z.object({
  teamId: z.string().trim().max(64, "Choose a team from the list.").default(""),
  sensitivity: z.union([enumOf(SENSITIVITIES, "sensitivity"), z.literal("")]).default(""),
});

export async function previewBackstageCatalog(
  ctx: WriteContext,
  body: CatalogUpload,
  rawDefaults: unknown = {},
): Promise<BackstageCatalogPreview> {
  requireRolePermission(ctx.actor, "api:update");
  return (await plan(ctx, body, parseOrThrow(ZCatalogDefaults, rawDefaults))).preview;
}

/** Applies every create and update in one transaction, or nothing. */
export async function importBackstageCatalog(
  ctx: WriteContext,
  body: CatalogUpload,
  rawDefaults: unknown = {},
): Promise<BackstageCatalogPreview> {
  requireRolePermission(ctx.actor, "api:update");
  const { preview, planned } = await plan(ctx, body, parseOrThrow(ZCatalogDefaults, rawDefaults));
  if (!preview.ok) {
    const errors = Object.fromEntries(
      preview.rows.filter((r) => r.errors.length).map((r) => [`entity ${r.line}`, r.errors]),
    );
    throw new AppError(
      "VALIDATION",
      preview.fileErrors[0] ??
        `${preview.invalid} entit${preview.invalid === 1 ? "y has" : "ies have"} errors; nothing was imported.`,
      preview.fileErrors.length ? { file: preview.fileErrors } : errors,
    );
  }
  const writes = planned.filter((p) => p.writesEntity);
  // The work's result is what a retry with the same Idempotency-Key is answered with (lib/rest/api-route.ts).
  if (writes.length)
    await authorizedWrite(
      ctx,
      { permission: "api:update", loadTarget: async () => writes.map((p) => p.target) },
      async (tx, audit) => {
        const slice = new TimeSlice();
        for (const p of writes) {
          if (slice.due) await slice.yield();
          const what = `API “${p.input.name}” (Backstage import)`;
          if (p.id) await applyApiUpdate(tx, ctx, p.id, null, p.input, audit, `Updated ${what}`);
          else {
            requirePermission(ctx.actor, "api:create", p.target);
            p.id = (await insertApi(tx, ctx, p.input, audit, `Registered ${what}`)).id;
          }
        }
        return preview;
      },
    );
  // Each definition is its own audited attachment, after the import (lib/backstage/catalog-definitions.ts).
  await attachDefinitions(
    ctx,
    planned.flatMap((p) => (p.definition ? [{ apiId: p.id!, definition: p.definition, notes: p.row.notes! }] : [])),
  );
  return preview;
}
