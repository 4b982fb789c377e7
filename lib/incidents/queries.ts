import "server-only";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma-sqlite/client";
import { requirePermission, type Actor } from "@/lib/authz/policy";
import { incidentScope, toIncidentTarget } from "@/lib/incidents/incident-target";
import { toFollowUpView } from "@/lib/follow-ups/queries";
import type { IncidentDetail, IncidentEntryView } from "@/lib/incidents/incident-view";
import type { IncidentView } from "@/lib/incidents/list-view";
import { toIncidentListView, toIncidentView, type IncidentListView, type IncidentRecord } from "@/lib/incidents/record";
import type { IncidentStatus, IncidentType, Severity } from "@/lib/incidents/schemas";
import type { PersonRef } from "@/lib/records/fields";
import { pageWindow, type TablePage } from "@/lib/tables/table-params";

/** The stored columns of the incident record (lib/incidents/record.ts), with its APIs' names. */
export const INCIDENT_RECORD_INCLUDE = {
  apis: { select: { api: { select: { id: true, name: true, teamId: true } } }, orderBy: { apiId: "asc" } },
} as const satisfies Prisma.IncidentInclude;
type RecordRow = Prisma.IncidentGetPayload<{ include: typeof INCIDENT_RECORD_INCLUDE }>;

/** A stored incident as the record every output reads; `person` resolves the handler. */
export function toIncidentRecord(row: RecordRow, person: (id: string) => PersonRef | null): IncidentRecord {
  return {
    id: row.id,
    version: row.version,
    title: row.title,
    type: row.type as IncidentType,
    severity: row.severity as Severity,
    status: row.status as IncidentStatus,
    apis: row.apis.map((a) => ({ id: a.api.id, name: a.api.name })),
    affectedClients: row.affectedClients,
    detectedAt: row.detectedAt,
    reportedAt: row.reportedAt,
    reportedBy: row.reportedBy,
    handler: row.handlerId ? person(row.handlerId) : null,
    containedAt: row.containedAt,
    resolvedAt: row.resolvedAt,
    closedAt: row.closedAt,
    description: row.description,
    rootCause: row.rootCause,
    lessonsLearned: row.lessonsLearned,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** Who is who, for the handlers and authors named on these incidents. */
async function peopleNamed(ids: (string | null)[]) {
  const wanted = [...new Set(ids.filter((id): id is string => !!id))];
  const rows = wanted.length
    ? await db.user.findMany({ where: { id: { in: wanted } }, select: { id: true, name: true, email: true } })
    : [];
  const byId = new Map(rows.map((u) => [u.id, u]));
  // A person removed since keeps a place in the record rather than vanishing from it.
  return (id: string): PersonRef => byId.get(id) ?? { id, name: "unknown", email: "" };
}

async function toListRows(rows: RecordRow[]): Promise<IncidentListView[]> {
  const person = await peopleNamed(rows.map((r) => r.handlerId));
  return rows.map((r) => toIncidentListView(toIncidentRecord(r, person)));
}
export type IncidentListRow = IncidentListView;

/** The latest 500 incidents (GET /api/v1/incidents). */
export async function listIncidents(actor: Actor | null) {
  requirePermission(actor, "incident:read");
  const rows = await db.incident.findMany({
    where: incidentScope(actor),
    orderBy: [{ reportedAt: "desc" }],
    take: 500,
    include: INCIDENT_RECORD_INCLUDE,
  });
  return toListRows(rows);
}

/** One page of the incident register, in the order the view names. */
export async function listIncidentPage(actor: Actor | null, view: IncidentView): Promise<TablePage<IncidentListRow>> {
  requirePermission(actor, "incident:read");
  const where = incidentScope(actor);
  const [total, rows] = await Promise.all([
    db.incident.count({ where }),
    db.incident.findMany({
      where,
      orderBy: [{ [view.sort]: view.desc ? "desc" : "asc" }, { id: "asc" }],
      ...pageWindow(view),
      include: INCIDENT_RECORD_INCLUDE,
    }),
  ]);
  return { total, rows: await toListRows(rows) };
}

export async function getIncident(actor: Actor | null, id: string): Promise<IncidentDetail | null> {
  requirePermission(actor, "incident:read");
  const i = await db.incident.findUnique({
    where: { id },
    include: {
      ...INCIDENT_RECORD_INCLUDE,
      entries: { orderBy: [{ at: "asc" }, { createdAt: "asc" }] },
      followUps: { orderBy: { createdAt: "asc" } },
    },
  });
  if (!i) return null;
  // Asked again with the incident as target: a token limited to one team reads only its team's incidents.
  requirePermission(actor, "incident:read", toIncidentTarget(i));
  const person = await peopleNamed([
    i.handlerId,
    ...i.entries.map((e) => e.authorId),
    ...i.followUps.map((f) => f.ownerId),
  ]);
  const names = new Map(i.followUps.flatMap((f) => (f.ownerId ? [[f.ownerId, person(f.ownerId).name]] : [])));
  return {
    ...toIncidentView(toIncidentRecord(i, person)),
    followUps: i.followUps.map((f) => toFollowUpView(f, names)),
    entries: i.entries.map((e) => ({
      id: e.id,
      at: e.at.toISOString(),
      // The column is free text; only ENTRY_KINDS are written (add-entry, advance-incident, report-incident).
      kind: e.kind as IncidentEntryView["kind"],
      recipient: e.recipient,
      text: e.text,
      author: e.authorId ? person(e.authorId).name : "system",
    })),
  };
}

/** Incidents on an API, newest first; `since` limits them (e.g. to those since the last review). */
export async function incidentsForApi(actor: Actor | null, apiId: string, since?: Date) {
  requirePermission(actor, "incident:read");
  const rows = await db.incident.findMany({
    where: {
      AND: [{ apis: { some: { apiId } } }, incidentScope(actor)],
      ...(since ? { detectedAt: { gte: since } } : {}),
    },
    orderBy: { detectedAt: "desc" },
    select: { id: true, title: true, severity: true, status: true, detectedAt: true },
  });
  return rows.map((r) => ({ ...r, detectedAt: r.detectedAt.toISOString() }));
}

export async function listApiChoices(actor: Actor | null) {
  requirePermission(actor, "incident:read");
  return db.api.findMany({
    where: { deletedAt: null },
    orderBy: { name: "asc" },
    select: { id: true, name: true },
    take: 5000,
  });
}

/**
 * Dashboard: open incidents by severity, and mean hours from detection to containment and to resolution
 * for incidents detected in each of the last four quarters (calendar quarters).
 */
export async function getIncidentSummary(actor: Actor | null, now = new Date()) {
  requirePermission(actor, "incident:read");
  const quarters = Array.from({ length: 4 }, (_, k) => {
    const q = Math.floor(now.getUTCMonth() / 3) - (3 - k);
    const start = new Date(Date.UTC(now.getUTCFullYear(), q * 3, 1));
    const end = new Date(Date.UTC(now.getUTCFullYear(), q * 3 + 3, 1));
    return { label: `${start.getUTCFullYear()}-Q${Math.floor(start.getUTCMonth() / 3) + 1}`, start, end };
  });
  const [open, recent] = await Promise.all([
    db.incident.groupBy({
      by: ["severity"],
      where: { status: { not: "CLOSED" }, ...incidentScope(actor) },
      _count: { _all: true },
    }),
    db.incident.findMany({
      where: { detectedAt: { gte: quarters[0]!.start }, ...incidentScope(actor) },
      select: { detectedAt: true, containedAt: true, resolvedAt: true },
    }),
  ]);
  const hours = (from: Date, to: Date) => (to.getTime() - from.getTime()) / 3_600_000;
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
  return {
    openBySeverity: Object.fromEntries(open.map((g) => [g.severity, g._count._all])) as Partial<
      Record<"LOW" | "MEDIUM" | "HIGH" | "CRITICAL", number>
    >,
    quarters: quarters.map((q) => {
      const inQ = recent.filter((i) => i.detectedAt >= q.start && i.detectedAt < q.end);
      return {
        quarter: q.label,
        count: inQ.length,
        meanHoursToContain: mean(inQ.filter((i) => i.containedAt).map((i) => hours(i.detectedAt, i.containedAt!))),
        meanHoursToResolve: mean(inQ.filter((i) => i.resolvedAt).map((i) => hours(i.detectedAt, i.resolvedAt!))),
      };
    }),
  };
}
