import "server-only";
import { db } from "@/lib/db/client";
import { requirePermission, type Actor } from "@/lib/authz/policy";
import { CONTROL_COLUMN, CONTROL_IDS, type ControlId } from "@/lib/ism/controls";
import { diffCatalogs, type CatalogControl } from "@/lib/ism/oscal";

export async function getCurrentCatalog() {
  return db.ismCatalog.findFirst({
    where: { isCurrent: true },
    select: { id: true, release: true, title: true, lastModified: true, importedAt: true },
  });
}

/** Official text of the network-API controls from the catalog in use (none without an import). */
export async function getOfficialControls(actor: Actor | null) {
  requirePermission(actor, "ism:read");
  const catalog = await getCurrentCatalog();
  if (!catalog)
    return {
      catalog: null,
      controls: new Map<
        string,
        { statement: string; revision: string; updated: string; applicability: string; section: string }
      >(),
    };
  const rows = await db.ismControl.findMany({
    where: { catalogId: catalog.id, controlId: { in: [...CONTROL_IDS] } },
    select: { controlId: true, statement: true, revision: true, updated: true, applicability: true, section: true },
  });
  return { catalog, controls: new Map(rows.map((r) => [r.controlId, r])) };
}

export async function listCatalogs(actor: Actor | null) {
  requirePermission(actor, "ism:read");
  const catalogs = await db.ismCatalog.findMany({
    orderBy: { importedAt: "desc" },
    select: {
      id: true,
      release: true,
      title: true,
      lastModified: true,
      isCurrent: true,
      importedAt: true,
      sha256: true,
      _count: { select: { controls: true } },
    },
  });
  return catalogs.map((c) => ({ ...c, importedAt: c.importedAt.toISOString(), controlCount: c._count.controls }));
}

export async function getCatalogControls(catalogId: string): Promise<CatalogControl[]> {
  const rows = await db.ismControl.findMany({ where: { catalogId } });
  return rows.map((r) => ({ ...r, applicability: r.applicability.split(",").filter(Boolean) }));
}

/** Network-API controls that apply (met, not met or not judged) to at least one registered API. */
export async function relevantControlIds(): Promise<Set<string>> {
  const relevant = new Set<string>();
  await Promise.all(
    CONTROL_IDS.map(async (id: ControlId) => {
      const n = await db.api.count({ where: { deletedAt: null, [CONTROL_COLUMN[id]]: { not: "NOT_APPLICABLE" } } });
      if (n > 0) relevant.add(id);
    }),
  );
  return relevant;
}

/**
 * What a release changed relative to the one published before it among those imported (kept, since every
 * imported catalog keeps its controls): added, removed and revised controls with the text before and
 * after, and which of the evaluated network-API controls (lib/ism/controls.ts) are among them.
 */
export async function getReleaseChanges(actor: Actor | null, catalogId: string) {
  requirePermission(actor, "ism:read");
  const catalog = await db.ismCatalog.findUnique({
    where: { id: catalogId },
    select: { id: true, release: true, title: true, lastModified: true, importedAt: true, isCurrent: true },
  });
  if (!catalog) return null;
  const previous = await db.ismCatalog.findFirst({
    where: { lastModified: { lt: catalog.lastModified } },
    orderBy: { lastModified: "desc" },
    select: { id: true, release: true, lastModified: true },
  });
  if (!previous) return { catalog, previous: null, diff: null, evaluated: [] };
  const relevant = await relevantControlIds();
  const diff = diffCatalogs(await getCatalogControls(previous.id), await getCatalogControls(catalog.id), relevant);
  const evaluatedIds = new Set<string>(CONTROL_IDS);
  const evaluated = [
    ...diff.added
      .filter((c) => evaluatedIds.has(c.controlId))
      .map((c) => ({ controlId: c.controlId, change: "added" })),
    ...diff.removed
      .filter((c) => evaluatedIds.has(c.controlId))
      .map((c) => ({ controlId: c.controlId, change: "removed" })),
    ...diff.revised
      .filter((r) => evaluatedIds.has(r.after.controlId))
      .map((r) => ({ controlId: r.after.controlId, change: r.changes.join("; ") })),
  ];
  return { catalog, previous, diff, evaluated };
}
