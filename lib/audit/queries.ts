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

export async function listAuditEntries(actor: Actor | null, view: AuditView): Promise<TablePage<AuditRow>> {
  requirePermission(actor, "audit:read");
  const where = view.action ? { action: { startsWith: view.action } } : {};
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
