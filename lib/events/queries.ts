import "server-only";
import { boundDate, db, dbProvider } from "@/lib/db/client";
import { requirePermission, type Actor } from "@/lib/authz/policy";
import { AppError } from "@/lib/errors";
import { OUTCOMES, type Outcome } from "@/lib/events/outcomes";
import type { AuthEventPage } from "@/lib/events/event-view";

export type EventFilters = {
  client: string;
  principal: string;
  outcome: Outcome | "";
  from: string;
  to: string;
  cursor: string | null;
  limit: number;
};

/** Parses the event view's filters (UI search params or REST query), refusing nonsense clearly. */
export function parseEventFilters(raw: Record<string, string | undefined>): EventFilters {
  const errors: Record<string, string[]> = {};
  const date = (key: "from" | "to") => {
    const v = (raw[key] ?? "").trim();
    if (v && Number.isNaN(Date.parse(v)))
      errors[key] = ["A date or date-time, e.g. 2026-11-01 or 2026-11-01T09:00:00Z."];
    return v;
  };
  const outcome = (raw.outcome ?? "").trim();
  if (outcome && !(OUTCOMES as readonly string[]).includes(outcome))
    errors.outcome = [`One of ${OUTCOMES.join(", ")}.`];
  const limit = raw.limit === undefined || raw.limit === "" ? 50 : Number(raw.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) errors.limit = ["A whole number from 1 to 500."];
  const filters = {
    client: (raw.client ?? "").trim().slice(0, 200),
    principal: (raw.principal ?? "").trim().slice(0, 200),
    outcome: outcome as Outcome | "",
    from: date("from"),
    to: date("to"),
    cursor: raw.cursor || null,
    limit,
  };
  if (Object.keys(errors).length) throw new AppError("VALIDATION", "Some filters are not valid.", errors);
  return filters;
}

/** Who called the API and when, newest first, paged by (time, id). */
export async function listAuthEvents(actor: Actor | null, apiId: string, f: EventFilters): Promise<AuthEventPage> {
  requirePermission(actor, "event:read");
  let after: { at: Date; id: string } | null = null;
  if (f.cursor) {
    const [at, id] = Buffer.from(f.cursor, "base64url").toString("utf8").split("|");
    if (!at || !id || Number.isNaN(Date.parse(at)))
      throw new AppError("VALIDATION", "The cursor is not one this view issued.", {
        cursor: ["Use the link to the next page."],
      });
    after = { at: new Date(at), id };
  }
  const rows = await db.authEvent.findMany({
    where: {
      apiId,
      ...(f.client ? { clientId: f.client } : {}),
      ...(f.principal ? { principal: f.principal } : {}),
      ...(f.outcome ? { outcome: f.outcome } : {}),
      ...(f.from || f.to
        ? {
            at: {
              ...(f.from ? { gte: new Date(f.from) } : {}),
              ...(f.to ? { lte: new Date(f.to.length === 10 ? `${f.to}T23:59:59.999Z` : f.to) } : {}),
            },
          }
        : {}),
      ...(after ? { OR: [{ at: { lt: after.at } }, { at: after.at, id: { lt: after.id } }] } : {}),
    },
    orderBy: [{ at: "desc" }, { id: "desc" }],
    take: f.limit + 1,
  });
  const page = rows.slice(0, f.limit);
  const last = page[page.length - 1];
  return {
    data: page.map((e) => ({
      id: e.id,
      time: e.at.toISOString(),
      clientId: e.clientId,
      principal: e.principal,
      outcome: e.outcome as Outcome,
      sourceIp: e.sourceIp,
      method: e.method,
      route: e.route,
    })),
    nextCursor:
      rows.length > f.limit && last ? Buffer.from(`${last.at.toISOString()}|${last.id}`).toString("base64url") : null,
  };
}

/**
 * Daily counts by outcome for the last `days` days (raw events, plus daily roll-ups of older ones), of
 * one API or, with apiId null, of every API.
 */
/** One API's events per UTC day and outcome since `start`: raw and rolled up. */
async function apiDailyOutcomes(apiId: string, start: Date) {
  const postgres = dbProvider() === "postgres";
  const dayExpr = postgres ? `to_char("at" AT TIME ZONE 'UTC', 'YYYY-MM-DD')` : `substr("at", 1, 10)`;
  const raw = await db.$queryRawUnsafe<{ day: string; outcome: string; n: number | bigint }[]>(
    `SELECT ${dayExpr} AS "day", "outcome", COUNT(*) AS "n" FROM "AuthEvent" WHERE "at" >= ${postgres ? "$1" : "?"} AND "apiId" = ${postgres ? "$2" : "?"} GROUP BY 1, 2`,
    boundDate(start),
    apiId,
  );
  const rolled = await db.authEventDaily.groupBy({
    by: ["day", "outcome"],
    where: { apiId, day: { gte: start } },
    _sum: { count: true },
  });
  return [
    ...raw.map((r) => ({ day: r.day, outcome: r.outcome, n: Number(r.n) })),
    ...rolled.map((r) => ({ day: r.day.toISOString().slice(0, 10), outcome: r.outcome, n: r._sum.count ?? 0 })),
  ];
}

export async function dailyOutcomes(actor: Actor | null, apiId: string | null, days = 14, now = new Date()) {
  requirePermission(actor, "event:read");
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - (days - 1)));
  // Across every API: the maintained day totals (42 rows for 14 days, whatever the traffic). For one API:
  // its events (indexed by API) and what retention rolled up.
  const counted =
    apiId === null
      ? (await db.authEventDayTotal.findMany({ where: { day: { gte: start } } })).map((r) => ({
          day: r.day.toISOString().slice(0, 10),
          outcome: r.outcome,
          n: Number(r.count),
        }))
      : await apiDailyOutcomes(apiId, start);
  const series = new Map<string, Record<Outcome, number>>();
  for (let i = 0; i < days; i++)
    series.set(new Date(start.getTime() + i * 86_400_000).toISOString().slice(0, 10), {
      success: 0,
      authn_failure: 0,
      authz_denied: 0,
    });
  const add = (day: string, outcome: string, n: number) => {
    const row = series.get(day);
    if (row && (OUTCOMES as readonly string[]).includes(outcome)) row[outcome as Outcome] += n;
  };
  for (const r of counted) add(r.day, r.outcome, r.n);
  return [...series.entries()].map(([day, counts]) => ({ day, ...counts }));
}

export async function listAlerts(actor: Actor | null, where: { apiId?: string; openOnly?: boolean }, take = 100) {
  requirePermission(actor, "event:read");
  const alerts = await db.authAlert.findMany({
    where: { ...(where.apiId ? { apiId: where.apiId } : {}), ...(where.openOnly ? { acknowledgedAt: null } : {}) },
    orderBy: [{ raisedAt: "desc" }],
    take,
  });
  const apis = new Map(
    (
      await db.api.findMany({
        where: { id: { in: [...new Set(alerts.map((a) => a.apiId))] } },
        select: { id: true, name: true },
      })
    ).map((a) => [a.id, a.name]),
  );
  const people = new Map(
    (
      await db.user.findMany({
        where: { id: { in: alerts.map((a) => a.acknowledgedById).filter((v): v is string => !!v) } },
        select: { id: true, name: true },
      })
    ).map((u) => [u.id, u.name]),
  );
  return alerts.map((a) => ({
    id: a.id,
    apiId: a.apiId,
    api: apis.get(a.apiId) ?? "deleted API",
    keyKind: a.keyKind as "client" | "source",
    keyValue: a.keyValue,
    failures: a.failures,
    windowStart: a.windowStart.toISOString(),
    windowEnd: a.windowEnd.toISOString(),
    raisedAt: a.raisedAt.toISOString(),
    acknowledgedAt: a.acknowledgedAt?.toISOString() ?? null,
    acknowledgedBy: a.acknowledgedById ? (people.get(a.acknowledgedById) ?? "unknown") : null,
    note: a.note,
  }));
}

export async function getAlertRule(
  actor: Actor | null,
  apiId: string,
  defaults: { threshold: number; windowMinutes: number },
) {
  requirePermission(actor, "event:read");
  const rule = await db.authAlertRule.findUnique({ where: { apiId } });
  return rule
    ? { threshold: rule.threshold, windowMinutes: rule.windowMinutes, isDefault: false }
    : { ...defaults, isDefault: true };
}
