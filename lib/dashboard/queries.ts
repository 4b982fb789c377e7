import "server-only";
import { db } from "@/lib/db";
import { can, requirePermission, type Actor } from "@/lib/authz/policy";
import { CONTROL_COLUMN, CONTROL_IDS, type ControlId } from "@/lib/ism/controls";
import { EXPOSURES, SENSITIVITIES, type ControlStatus, type Exposure, type Sensitivity } from "@/lib/apis/enums";
import { containsToken } from "@/lib/apis/codec";

const LIVE = { deletedAt: null };

export type ControlCounts = Record<ControlId, Record<Exclude<ControlStatus, "NOT_APPLICABLE">, number>>;

export async function getDashboard(actor: Actor | null) {
  requirePermission(actor, "api:read");
  const [total, byExposureSensitivity, noOwner, noAuth, authUnknown, ...controlGroups] = await Promise.all([
    db.api.count({ where: LIVE }),
    db.api.groupBy({ by: ["exposure", "sensitivity"], where: LIVE, _count: { _all: true } }),
    db.api.count({ where: { ...LIVE, ownerId: null } }),
    db.api.count({ where: { ...LIVE, authMethods: { contains: containsToken("NONE") } } }),
    db.api.count({ where: { ...LIVE, authMethods: "" } }),
    ...CONTROL_IDS.map((id) => db.api.groupBy({ by: [CONTROL_COLUMN[id]], where: LIVE, _count: { _all: true } })),
  ]);

  const matrix = Object.fromEntries(EXPOSURES.map((e) => [e, Object.fromEntries(SENSITIVITIES.map((s) => [s, 0]))])) as Record<Exposure, Record<Sensitivity, number>>;
  for (const g of byExposureSensitivity) matrix[g.exposure as Exposure][g.sensitivity as Sensitivity] = g._count._all;

  const controls = {} as ControlCounts;
  CONTROL_IDS.forEach((id, i) => {
    const counts = { MET: 0, NOT_MET: 0, CANNOT_JUDGE: 0 };
    for (const g of controlGroups[i] as { _count: { _all: number } }[]) {
      const status = (g as unknown as Record<string, ControlStatus>)[CONTROL_COLUMN[id]];
      if (status && status !== "NOT_APPLICABLE") counts[status] = g._count._all;
    }
    controls[id] = counts;
  });

  return { total, matrix, controls, noOwner, noAuth, authUnknown, alerts: can(actor, "security-alerts:read") ? await getSignInAlerts() : null };
}

/** Failed sign-ins of the last 7 days, by account, with lock-outs: the admin's failed-authentication alert. */
export async function getSignInAlerts(days = 7) {
  const since = new Date(Date.now() - days * 86_400_000);
  const failures = await db.signInEvent.findMany({
    where: { success: false, at: { gte: since } },
    orderBy: { at: "desc" },
    take: 500,
    select: { at: true, email: true, ip: true, reason: true },
  });
  const byAccount = new Map<string, { email: string; count: number; last: Date; ips: Set<string>; reasons: Set<string> }>();
  for (const f of failures) {
    const entry = byAccount.get(f.email) ?? { email: f.email, count: 0, last: f.at, ips: new Set(), reasons: new Set() };
    entry.count++;
    if (f.ip) entry.ips.add(f.ip);
    entry.reasons.add(f.reason);
    byAccount.set(f.email, entry);
  }
  const locked = await db.user.findMany({ where: { lockedUntil: { gt: new Date() } }, select: { email: true, lockedUntil: true } });
  return {
    days,
    total: failures.length,
    accounts: [...byAccount.values()]
      .sort((a, b) => b.count - a.count || b.last.getTime() - a.last.getTime())
      .slice(0, 10)
      .map((a) => ({ email: a.email, count: a.count, last: a.last.toISOString(), ips: [...a.ips].slice(0, 5), reasons: [...a.reasons] })),
    locked: locked.map((l) => ({ email: l.email, until: l.lockedUntil!.toISOString() })),
  };
}
