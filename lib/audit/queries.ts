import "server-only";
import { db } from "@/lib/db/client";
import { requirePermission, type Actor } from "@/lib/authz/policy";

export const AUDIT_PAGE_SIZE = 50;

export async function listAuditEntries(actor: Actor | null, opts: { page: number; action?: string }) {
  requirePermission(actor, "audit:read");
  const where = opts.action ? { action: { startsWith: opts.action } } : {};
  const [total, entries] = await Promise.all([
    db.auditEntry.count({ where }),
    db.auditEntry.findMany({
      where,
      orderBy: { seq: "desc" },
      skip: (opts.page - 1) * AUDIT_PAGE_SIZE,
      take: AUDIT_PAGE_SIZE,
    }),
  ]);
  return { total, entries: entries.map((e) => ({ ...e, at: e.at.toISOString() })) };
}
