import "server-only";
import { db } from "@/lib/db";
import { requirePermission, type Actor } from "@/lib/authz/policy";

const iso = (d: Date | null) => d?.toISOString() ?? null;

export async function listIncidents(actor: Actor | null) {
  requirePermission(actor, "incident:read");
  const rows = await db.incident.findMany({
    orderBy: [{ reportedAt: "desc" }],
    take: 500,
    select: { id: true, title: true, type: true, severity: true, status: true, reportedAt: true, apis: { select: { api: { select: { id: true, name: true } } } } },
  });
  return rows.map((r) => ({ ...r, reportedAt: r.reportedAt.toISOString(), apis: r.apis.map((a) => a.api) }));
}

export async function getIncident(actor: Actor | null, id: string) {
  requirePermission(actor, "incident:read");
  const i = await db.incident.findUnique({
    where: { id },
    include: { apis: { select: { api: { select: { id: true, name: true } } } }, entries: { orderBy: [{ at: "asc" }, { createdAt: "asc" }] } },
  });
  if (!i) return null;
  const people = new Map((await db.user.findMany({ select: { id: true, name: true } })).map((u) => [u.id, u.name]));
  return {
    ...i,
    detectedAt: i.detectedAt.toISOString(),
    reportedAt: i.reportedAt.toISOString(),
    containedAt: iso(i.containedAt),
    resolvedAt: iso(i.resolvedAt),
    closedAt: iso(i.closedAt),
    handler: i.handlerId ? (people.get(i.handlerId) ?? "unknown") : null,
    apis: i.apis.map((a) => a.api),
    entries: i.entries.map((e) => ({ id: e.id, at: e.at.toISOString(), kind: e.kind, recipient: e.recipient, text: e.text, author: e.authorId ? (people.get(e.authorId) ?? "unknown") : "system" })),
  };
}
export type IncidentDetail = NonNullable<Awaited<ReturnType<typeof getIncident>>>;

/** Incidents on an API, newest first; `since` limits them (e.g. to those since the last review). */
export async function incidentsForApi(actor: Actor | null, apiId: string, since?: Date) {
  requirePermission(actor, "incident:read");
  const rows = await db.incident.findMany({
    where: { apis: { some: { apiId } }, ...(since ? { detectedAt: { gte: since } } : {}) },
    orderBy: { detectedAt: "desc" },
    select: { id: true, title: true, severity: true, status: true, detectedAt: true },
  });
  return rows.map((r) => ({ ...r, detectedAt: r.detectedAt.toISOString() }));
}

export async function listApiChoices(actor: Actor | null) {
  requirePermission(actor, "incident:read");
  return db.api.findMany({ where: { deletedAt: null }, orderBy: { name: "asc" }, select: { id: true, name: true }, take: 5000 });
}
