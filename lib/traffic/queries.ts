import "server-only";
import { db } from "@/lib/db/client";
import { requirePermission, type Actor } from "@/lib/authz/policy";
import type { Profile } from "@/lib/traffic/schemas";
import { pageWindow, type TablePage } from "@/lib/tables/table-params";
import type { QuarantineView, SourceView } from "@/lib/traffic/list-view";
import { noRate, sourceRates } from "@/lib/traffic/source-minutes";

export type TrafficSourceRow = Awaited<ReturnType<typeof sourceRows>>[number];

type Source = Awaited<ReturnType<typeof db.trafficSource.findMany>>[number];

/**
 * The registered sources with what an operator checks at a glance: when each last sent, how fast it sends
 * now (the last hour, minute by minute), what became of its records, and when its newest token expires (a
 * source whose tokens have all expired is refused). A page of them, by name or by the last to send.
 */
export async function listTrafficSources(actor: Actor | null, view: SourceView): Promise<TablePage<TrafficSourceRow>> {
  requirePermission(actor, "traffic:manage");
  const dir = view.desc ? "desc" : "asc";
  const [sources, total] = await Promise.all([
    db.trafficSource.findMany({
      // A source that never sent sorts after every one that did, either way.
      orderBy:
        view.sort === "lastReceivedAt"
          ? [{ lastReceivedAt: { sort: dir, nulls: "last" } }, { id: "asc" }]
          : [{ name: dir }, { id: "asc" }],
      ...pageWindow(view),
    }),
    db.trafficSource.count(),
  ]);
  return { rows: await sourceRows(sources), total };
}

/** One source as the list shows it, or null. */
export async function getTrafficSource(actor: Actor | null, id: string): Promise<TrafficSourceRow | null> {
  requirePermission(actor, "traffic:manage");
  const source = await db.trafficSource.findUnique({ where: { id } });
  return source ? ((await sourceRows([source]))[0] ?? null) : null;
}

async function sourceRows(sources: Source[]) {
  const now = new Date();
  const [teams, apis, tokens, held, inactive, rates] = await Promise.all([
    db.team.findMany({ where: { id: { in: sources.map((s) => s.teamId) } }, select: { id: true, name: true } }),
    db.api.findMany({
      where: { id: { in: sources.flatMap((s) => (s.apiId ? [s.apiId] : [])) } },
      select: { id: true, name: true, deletedAt: true },
    }),
    db.apiToken.groupBy({
      by: ["userId"],
      where: { userId: { in: sources.map((s) => s.serviceAccountId) }, revokedAt: null },
      _max: { expiresAt: true },
    }),
    db.quarantinedRecord.groupBy({
      by: ["sourceId"],
      where: { sourceId: { in: sources.map((s) => s.id) } },
      _count: { _all: true },
    }),
    db.user.findMany({
      where: { id: { in: sources.map((s) => s.serviceAccountId) }, isActive: false },
      select: { id: true },
    }),
    sourceRates(
      sources.map((s) => s.id),
      now,
    ),
  ]);
  const deactivated = new Set(inactive.map((u) => u.id));
  const inQuarantine = new Map(held.map((h) => [h.sourceId, h._count._all]));
  const teamName = new Map(teams.map((t) => [t.id, t.name]));
  const api = new Map(apis.map((a) => [a.id, a]));
  const expiry = new Map(tokens.map((t) => [t.userId, t._max.expiresAt]));
  return sources.map((s) => {
    const latest = expiry.get(s.serviceAccountId);
    const target = s.apiId ? api.get(s.apiId) : undefined;
    return {
      id: s.id,
      name: s.name,
      profile: s.profile as Profile,
      lenient: s.lenient,
      team: teamName.get(s.teamId) ?? "deleted team",
      api: target ? { id: target.id, name: target.name, retired: target.deletedAt !== null } : null,
      lastReceivedAt: s.lastReceivedAt?.toISOString() ?? null,
      // Counts stay exact as numbers up to 2^53 records.
      received: Number(s.received),
      stored: Number(s.stored),
      quarantined: Number(s.quarantined),
      unrouted: Number(s.unrouted),
      duplicates: Number(s.duplicates),
      /** What it sent in the last hour, minute by minute (lib/traffic/source-minutes.ts). */
      rate: rates.get(s.id) ?? noRate(),
      /** Records in the quarantine now (purged ones stay counted in `quarantined`). */
      inQuarantine: inQuarantine.get(s.id) ?? 0,
      tokenExpiresAt: latest?.toISOString() ?? null,
      /** No unrevoked token that is still valid: the source's records are being refused. */
      tokenExpired: !latest || latest <= now,
      /** Its service account was deactivated (Users): every token of it is refused. */
      accountDeactivated: deactivated.has(s.serviceAccountId),
    };
  });
}

export type QuarantineRow = { id: string; receivedAt: string; reason: string; record: string };

/** A source's quarantine, newest first, a page at a time; each record shown up to 2,000 characters. */
export async function listQuarantine(
  actor: Actor | null,
  sourceId: string,
  view: QuarantineView,
): Promise<TablePage<QuarantineRow>> {
  requirePermission(actor, "traffic:manage");
  const where = { sourceId };
  const [total, rows] = await Promise.all([
    db.quarantinedRecord.count({ where }),
    db.quarantinedRecord.findMany({
      where,
      orderBy: [{ receivedAt: view.desc ? "desc" : "asc" }, { id: "asc" }],
      ...pageWindow(view),
    }),
  ]);
  return {
    total,
    rows: rows.map((q) => ({
      id: q.id,
      receivedAt: q.receivedAt.toISOString(),
      reason: visible(q.reason),
      record: visible(q.record.length > 2000 ? `${q.record.slice(0, 2000)}…` : q.record),
    })),
  };
}

/** Direction controls shown as their escapes: a quarantined record must not reorder what is read beside it. */
const visible = (text: string) =>
  text.replace(
    /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
