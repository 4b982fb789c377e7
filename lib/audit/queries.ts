import "server-only";
import { db } from "@/lib/db/client";
import { requirePermission, type Actor } from "@/lib/authz/policy";
import type { AuditView } from "@/lib/audit/list-view";
import { pageWindow, type TablePage } from "@/lib/tables/table-params";

export type AuditRow = {
  seq: number;
  at: string;
  actorEmail: string;
  action: string;
  targetType: string;
  targetId: string;
  summary: string;
  diff: string;
  ip: string;
  hash: string;
  prevHash: string;
};

/** The entries a view picks: its kind of action, and the person (e-mail part) or record (id) searched for. */
function auditWhere(view: Pick<AuditView, "action" | "q">) {
  return {
    ...(view.action ? { action: { startsWith: view.action } } : {}),
    ...(view.q ? { OR: [{ actorEmail: { contains: view.q.toLowerCase() } }, { targetId: view.q }] } : {}),
  };
}

/** Every entry of a view, oldest first, in pages by sequence number (for the CSV download). */
export async function* iterateAuditEntries(actor: Actor | null, view: Pick<AuditView, "action" | "q">, batch = 2000) {
  requirePermission(actor, "audit:read");
  const where = auditWhere(view);
  for (let after = 0; ;) {
    const rows = await db.auditEntry.findMany({
      where: { ...where, seq: { gt: after } },
      orderBy: { seq: "asc" },
      take: batch,
    });
    for (const e of rows) yield e;
    if (rows.length < batch) return;
    after = rows.at(-1)!.seq;
  }
}

export async function listAuditEntries(actor: Actor | null, view: AuditView): Promise<TablePage<AuditRow>> {
  requirePermission(actor, "audit:read");
  const where = auditWhere(view);
  const [total, entries] = await Promise.all([
    db.auditEntry.count({ where }),
    db.auditEntry.findMany({ where, orderBy: { seq: view.desc ? "desc" : "asc" }, ...pageWindow(view) }),
  ]);
  return {
    total,
    rows: entries.map((e) => ({
      seq: e.seq,
      at: e.at.toISOString(),
      actorEmail: e.actorEmail,
      action: e.action,
      targetType: e.targetType,
      targetId: e.targetId,
      summary: e.summary,
      diff: e.diff,
      ip: e.ip,
      hash: e.hash,
      prevHash: e.prevHash,
    })),
  };
}
