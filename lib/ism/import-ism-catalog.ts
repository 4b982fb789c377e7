import "server-only";
import { createHash } from "node:crypto";
import { authorizedWrite, type WriteContext } from "@/lib/audit/authorized-write";
import { requirePermission } from "@/lib/authz/policy";
import { db } from "@/lib/db/client";
import { diffCatalogs, parseOscalCatalog, type CatalogDiff } from "@/lib/ism/oscal";
import { getCatalogControls, getCurrentCatalog, relevantControlIds } from "@/lib/ism/queries";
import { encodeList } from "@/lib/db/list-column";

export type IsmCatalogPreview = {
  sha256: string;
  release: string;
  title: string;
  lastModified: string;
  controlCount: number;
  alreadyImported: boolean;
  /** The catalog in use now, if any, and what the file changes relative to it. */
  current: { release: string } | null;
  diff: CatalogDiff | null;
  /** Controls that apply to at least one registered API (listed first, and marked in the UI). */
  relevant: string[];
  becomesCurrent: boolean;
};

async function preview(
  bytes: Uint8Array,
): Promise<{ preview: IsmCatalogPreview; parsed: ReturnType<typeof parseOscalCatalog> }> {
  const parsed = parseOscalCatalog(bytes);
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const existing = await db.ismCatalog.findUnique({ where: { sha256 }, select: { id: true } });
  const current = await getCurrentCatalog();
  const relevant = await relevantControlIds();
  const diff = current ? diffCatalogs(await getCatalogControls(current.id), parsed.controls, relevant) : null;
  return {
    parsed,
    preview: {
      sha256,
      release: parsed.release,
      title: parsed.title,
      lastModified: parsed.lastModified,
      controlCount: parsed.controls.length,
      alreadyImported: !!existing,
      current: current ? { release: current.release } : null,
      diff,
      relevant: [...relevant],
      // An older release imported later (for comparison) does not replace a newer one in use.
      becomesCurrent: !current || parsed.lastModified >= current.lastModified,
    },
  };
}

/** What importing the file would do, without writing anything. */
export async function previewIsmCatalog(ctx: WriteContext, bytes: Uint8Array): Promise<IsmCatalogPreview> {
  requirePermission(ctx.actor, "ism:import");
  return (await preview(bytes)).preview;
}

/**
 * Stores the catalog's controls and makes it the one in use (if it is the newest). The same file
 * imported again changes nothing: not even an audit entry, since nothing happened.
 */
export async function importIsmCatalog(
  ctx: WriteContext,
  bytes: Uint8Array,
): Promise<IsmCatalogPreview & { imported: boolean; catalogId: string }> {
  requirePermission(ctx.actor, "ism:import");
  const { preview: p, parsed } = await preview(bytes);
  if (p.alreadyImported) {
    const existing = await db.ismCatalog.findUniqueOrThrow({ where: { sha256: p.sha256 }, select: { id: true } });
    return { ...p, imported: false, catalogId: existing.id };
  }
  const catalogId = await authorizedWrite(ctx, { permission: "ism:import" }, async (tx, audit) => {
    if (p.becomesCurrent) await tx.ismCatalog.updateMany({ where: { isCurrent: true }, data: { isCurrent: false } });
    const catalog = await tx.ismCatalog.create({
      data: {
        release: p.release,
        title: p.title,
        lastModified: p.lastModified,
        oscalVersion: parsed.oscalVersion,
        sha256: p.sha256,
        isCurrent: p.becomesCurrent,
        importedById: ctx.actor.id,
      },
    });
    for (let i = 0; i < parsed.controls.length; i += 500) {
      await tx.ismControl.createMany({
        data: parsed.controls
          .slice(i, i + 500)
          .map((c) => ({ ...c, applicability: encodeList(c.applicability), catalogId: catalog.id })),
      });
    }
    await audit({
      action: "ism.import",
      targetType: "ism-catalog",
      targetId: catalog.id,
      summary: `Imported ISM catalog ${p.release} (${p.controlCount} controls)${p.becomesCurrent ? ", now in use" : ""}`,
      details: {
        release: p.release,
        sha256: p.sha256,
        controls: p.controlCount,
        becomesCurrent: p.becomesCurrent,
        previous: p.current?.release ?? null,
        added: p.diff?.added.map((c) => c.controlId) ?? [],
        removed: p.diff?.removed.map((c) => c.controlId) ?? [],
        revised: p.diff?.revised.map((r) => r.after.controlId) ?? [],
      },
    });
    return catalog.id;
  });
  return { ...p, imported: true, catalogId };
}
