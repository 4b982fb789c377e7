import "server-only";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma-sqlite/client";
import { requirePermission, type Actor } from "@/lib/authz/policy";
import { incidentScope, toIncidentTarget } from "@/lib/incidents/incident-target";
import { toFollowUpView } from "@/lib/follow-ups/queries";
import type { IncidentView } from "@/lib/incidents/list-view";
import { pageWindow, type TablePage } from "@/lib/tables/table-params";

const iso = (d: Date | null) => d?.toISOString() ?? null;

const LIST_SELECT = {
  id: true,
  title: true,
  type: true,
  severity: true,
  status: true,
  detectedAt: true,
  reportedAt: true,
  apis: { select: { api: { select: { id: true, name: true } } } },
} as const;

const toListRow = ({
  detectedAt,
  reportedAt,
  apis,
  ...r
}: Prisma.IncidentGetPayload<{ select: typeof LIST_SELECT }>) => ({
  ...r,
  detectedAt: detectedAt.toISOString(),
  reportedAt: reportedAt.toISOString(),
  apis: apis.map((a) => a.api),
});
export type IncidentListRow = ReturnType<typeof toListRow>;

/** The latest 500 incidents (GET /api/v1/incidents). */
export async function listIncidents(actor: Actor | null) {
  requirePermission(actor, "incident:read");
  const rows = await db.incident.findMany({
    where: incidentScope(actor),
    orderBy: [{ reportedAt: "desc" }],
    take: 500,
    select: LIST_SELECT,
  });
  return rows.map(toListRow);
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
      select: LIST_SELECT,
    }),
  ]);
  return { total, rows: rows.map(toListRow) };
}

export async function getIncident(actor: Actor | null, id: string) {
  requirePermission(actor, "incident:read");
  const i = await db.incident.findUnique({
    where: { id },
    include: {
      apis: { select: { api: { select: { id: true, name: true, teamId: true } } } },
      entries: { orderBy: [{ at: "asc" }, { createdAt: "asc" }] },
      followUps: { orderBy: { createdAt: "asc" } },
    },
  });
  if (!i) return null;
  // Asked again with the incident as target: a token limited to one team reads only its team's incidents.
  requirePermission(actor, "incident:read", toIncidentTarget(i));
  const people = new Map((await db.user.findMany({ select: { id: true, name: true } })).map((u) => [u.id, u.name]));
  return {
    ...i,
    detectedAt: i.detectedAt.toISOString(),
    reportedAt: i.reportedAt.toISOString(),
    containedAt: iso(i.containedAt),
    resolvedAt: iso(i.resolvedAt),
    closedAt: iso(i.closedAt),
    handler: i.handlerId ? (people.get(i.handlerId) ?? "unknown") : null,
    apis: i.apis.map((a) => ({ id: a.api.id, name: a.api.name })),
    followUps: i.followUps.map((f) => toFollowUpView(f, people)),
    entries: i.entries.map((e) => ({
      id: e.id,
      at: e.at.toISOString(),
      kind: e.kind,
      recipient: e.recipient,
      text: e.text,
      author: e.authorId ? (people.get(e.authorId) ?? "unknown") : "system",
    })),
  };
}
export type IncidentDetail = NonNullable<Awaited<ReturnType<typeof getIncident>>>;

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
