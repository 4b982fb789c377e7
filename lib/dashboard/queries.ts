import "server-only";
import { db, type DbClient } from "@/lib/db/client";
import { can, requirePermission, type Actor } from "@/lib/authz/policy";
import { CONTROL_COLUMN, CONTROL_IDS, type ControlId } from "@/lib/ism/controls";
import { EXPOSURES, SENSITIVITIES, type ControlStatus, type Exposure, type Sensitivity } from "@/lib/apis/enums";
import { containsToken } from "@/lib/db/list-column";

export type ControlCounts = Record<ControlId, Record<Exclude<ControlStatus, "NOT_APPLICABLE">, number>>;

const JUDGED = ["MET", "NOT_MET", "CANNOT_JUDGE"] as const;

/**
 * Every dashboard number in one pass over the API table (one GROUP BY with conditional sums), which
 * keeps the page fast at 50,000 APIs. Plain SQL that SQLite and PostgreSQL both accept; the column
 * names come from constants, never from input.
 */
/** Per control and judged status, the number of rows with it: for any table with the control columns. */
export const CONTROL_SUMS = CONTROL_IDS.flatMap((id) =>
  JUDGED.map(
    (status) =>
      `SUM(CASE WHEN "${CONTROL_COLUMN[id]}" = '${status}' THEN 1 ELSE 0 END) AS "${CONTROL_COLUMN[id]}_${status}"`,
  ),
).join(", ");

/** Adds one result row of CONTROL_SUMS to `counts`. */
export function addControlSums(counts: ControlCounts, row: Record<string, unknown>): void {
  for (const id of CONTROL_IDS)
    for (const status of JUDGED) counts[id][status] += Number(row[`${CONTROL_COLUMN[id]}_${status}`] ?? 0);
}

export const noControlCounts = (): ControlCounts =>
  Object.fromEntries(CONTROL_IDS.map((id) => [id, { MET: 0, NOT_MET: 0, CANNOT_JUDGE: 0 }])) as ControlCounts;

function aggregateSql(): string {
  return `SELECT "exposure", "sensitivity", COUNT(*) AS "n", ${CONTROL_SUMS},
    SUM(CASE WHEN "ownerId" IS NULL THEN 1 ELSE 0 END) AS "noOwner",
    SUM(CASE WHEN "authMethods" LIKE '${containsToken("NONE")}' THEN 1 ELSE 0 END) AS "noAuth",
    SUM(CASE WHEN "authMethods" = '' THEN 1 ELSE 0 END) AS "authUnknown"
    FROM "Api" WHERE "deletedAt" IS NULL GROUP BY "exposure", "sensitivity"`;
}

/** The inventory's figures, folded from the one GROUP BY (also inside a write's transaction). */
async function aggregate(client: Pick<DbClient, "$queryRawUnsafe">) {
  const groups = await client.$queryRawUnsafe<Record<string, unknown>[]>(aggregateSql());
  const num = (v: unknown) => Number(v ?? 0);
  const matrix = Object.fromEntries(
    EXPOSURES.map((e) => [e, Object.fromEntries(SENSITIVITIES.map((s) => [s, 0]))]),
  ) as Record<Exposure, Record<Sensitivity, number>>;
  const controls = noControlCounts();
  let total = 0;
  let noOwner = 0;
  let noAuth = 0;
  let authUnknown = 0;
  for (const g of groups) {
    const n = num(g.n);
    matrix[g.exposure as Exposure][g.sensitivity as Sensitivity] = n;
    total += n;
    noOwner += num(g.noOwner);
    noAuth += num(g.noAuth);
    authUnknown += num(g.authUnknown);
    addControlSums(controls, g);
  }
  return { total, matrix, controls, noOwner, noAuth, authUnknown };
}

/** Per control, how many live APIs meet it, do not, or cannot be judged: the dashboard's and the snapshots'. */
export async function countControls(client: Pick<DbClient, "$queryRawUnsafe"> = db): Promise<ControlCounts> {
  return (await aggregate(client)).controls;
}

export async function getDashboard(actor: Actor | null) {
  requirePermission(actor, "api:read");
  return {
    ...(await aggregate(db)),
    alerts: can(actor, "security-alerts:read") ? await getSignInAlerts() : null,
  };
}

/** Failed sign-ins of the last 7 days, by account, with lock-outs: the admin's failed-authentication alert. */
export async function getSignInAlerts(days = 7) {
  const since = new Date(Date.now() - days * 86_400_000);
  const failures = await db.signInEvent.findMany({
    where: { success: false, at: { gte: since } },
    orderBy: { at: "desc" },
    take: 500,
    select: { at: true, email: true, ip: true, reason: true, count: true },
  });
  const byAccount = new Map<
    string,
    { email: string; count: number; last: Date; ips: Set<string>; reasons: Set<string> }
  >();
  for (const f of failures) {
    const entry = byAccount.get(f.email) ?? {
      email: f.email,
      count: 0,
      last: f.at,
      ips: new Set(),
      reasons: new Set(),
    };
    // A row stands for `count` attempts from one address (repeats within a minute share a row).
    entry.count += f.count;
    if (f.ip) entry.ips.add(f.ip);
    entry.reasons.add(f.reason);
    byAccount.set(f.email, entry);
  }
  const locked = await db.user.findMany({
    where: { lockedUntil: { gt: new Date() } },
    select: { email: true, lockedUntil: true },
  });
  return {
    days,
    total: failures.reduce((sum, f) => sum + f.count, 0),
    accounts: [...byAccount.values()]
      .sort((a, b) => b.count - a.count || b.last.getTime() - a.last.getTime())
      .slice(0, 10)
      .map((a) => ({
        email: a.email,
        count: a.count,
        last: a.last.toISOString(),
        ips: [...a.ips].slice(0, 5),
        reasons: [...a.reasons],
      })),
    locked: locked.map((l) => ({ email: l.email, until: l.lockedUntil!.toISOString() })),
  };
}
