import "server-only";
import { authorizedWrite } from "@/lib/audit/authorized-write";
import { requirePermission, SCHEDULER, type Actor } from "@/lib/authz/policy";
import { AppError } from "@/lib/errors";
import { CONTROL_IDS, type ControlId } from "@/lib/ism/controls";
import {
  addControlSums,
  CONTROL_SUMS,
  countControls,
  noControlCounts,
  type ControlCounts,
} from "@/lib/dashboard/queries";
import { boundDate, db as db, dbProvider } from "@/lib/db/client";
import { getSettings } from "@/lib/settings/queries";
import { parseQuarter, previousQuarters, quarterOf } from "@/lib/reviews/quarters";

const dayOf = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));

/**
 * Records today's counts per control (met, not met, cannot be judged), once a day: the history the
 * dashboard's trend shows. Run by the server's hourly job; false when today's are already recorded —
 * also when another instance recorded them first (the day and control are the key).
 */
export async function recordControlSnapshot(now = new Date()): Promise<boolean> {
  const day = dayOf(now);
  if (await db.controlSnapshot.findFirst({ where: { day }, select: { day: true } })) return false;
  try {
    await authorizedWrite({ actor: SCHEDULER }, { permission: "controls:snapshot" }, async (tx, audit) => {
      const counts = await countControls(tx);
      await tx.controlSnapshot.createMany({
        data: CONTROL_IDS.map((control) => ({
          day,
          control,
          met: counts[control].MET,
          notMet: counts[control].NOT_MET,
          cannotJudge: counts[control].CANNOT_JUDGE,
        })),
      });
      await audit({
        action: "controls.snapshot",
        targetType: "controls",
        targetId: day.toISOString().slice(0, 10),
        summary: `Control counts recorded for ${day.toISOString().slice(0, 10)}`,
        details: counts,
      });
    });
    return true;
  } catch (error) {
    if (error instanceof AppError && error.code === "CONFLICT") return false;
    throw error;
  }
}

/**
 * The controls as they stood at `at`, from the history of each API (lib/audit/api-versions.ts): the
 * stored results of each API's last version before `at`, if it was live then — the figures a bundle
 * for a period ending at `at` reports. null when the history does not cover `at`: some API that existed
 * then (by its record) has no version from before it (it predates the history).
 */
export async function countControlsAsOf(at: Date): Promise<{ apis: number; counts: ControlCounts } | null> {
  const postgres = dbProvider() === "postgres";
  const p = (n: number) => (postgres ? `$${n}` : "?");
  const when = boundDate(at);
  const [uncovered] = await db.$queryRawUnsafe<{ n: number | bigint }[]>(
    `SELECT COUNT(*) AS "n" FROM "Api" a WHERE a."createdAt" < ${p(1)} AND (a."deletedAt" IS NULL OR a."deletedAt" >= ${p(2)})
      AND NOT EXISTS (SELECT 1 FROM "ApiVersion" v WHERE v."apiId" = a."id" AND v."validFrom" < ${p(3)})`,
    when,
    when,
    when,
  );
  if (Number(uncovered?.n ?? 0) > 0) return null;
  const [row] = await db.$queryRawUnsafe<Record<string, unknown>[]>(
    `SELECT COUNT(*) AS "n", ${CONTROL_SUMS} FROM "ApiVersion" WHERE "live" AND "seq" IN
      (SELECT MAX("seq") FROM "ApiVersion" WHERE "validFrom" < ${p(1)} GROUP BY "apiId")`,
    when,
  );
  const counts = noControlCounts();
  if (row) addControlSums(counts, row);
  return { apis: Number(row?.n ?? 0), counts };
}

export type TrendPoint = {
  quarter: string;
  /** The day the counts are from (the quarter's last, or the last recorded in it), or "now" for the current quarter. */
  asOf: string | null;
  met: number;
  notMet: number;
  cannotJudge: number;
  byControl: Record<ControlId, { met: number; notMet: number; cannotJudge: number }> | null;
};

/**
 * Controls over the last quarters: for each of the four before the current one, the counts at its end
 * from the history of each API — as a bundle for that quarter reports them — or, for a quarter the
 * history does not cover (an installation from before it), the daily counts recorded last in it (null
 * before the installation kept any); and the current quarter as it stands now.
 */
export async function getControlTrend(
  actor: Actor | null,
  now = new Date(),
  /** The counts now: the dashboard's own read of them, shared. */
  countsNow: () => Promise<ControlCounts> = () => countControls(),
): Promise<TrendPoint[]> {
  requirePermission(actor, "api:read");
  const settings = await getSettings();
  const current = quarterOf(now, settings.quarterStartMonth, settings.reviewDueDays);
  const past = await Promise.all(
    previousQuarters(current.label, 4).map(async (label): Promise<TrendPoint> => {
      const q = parseQuarter(label, settings.quarterStartMonth, settings.reviewDueDays)!;
      const atEnd = await countControlsAsOf(new Date(q.endsOn.getTime() + 86_400_000));
      if (atEnd && atEnd.apis > 0) return point(label, q.endsOn.toISOString().slice(0, 10), judgedRows(atEnd.counts));
      const last = await db.controlSnapshot.findFirst({
        where: { day: { gte: q.startsOn, lte: q.endsOn } },
        orderBy: { day: "desc" },
        select: { day: true },
      });
      if (!last) return { quarter: label, asOf: null, met: 0, notMet: 0, cannotJudge: 0, byControl: null };
      const rows = await db.controlSnapshot.findMany({ where: { day: last.day } });
      return point(
        label,
        last.day.toISOString().slice(0, 10),
        Object.fromEntries(rows.map((r) => [r.control, r])) as Record<ControlId, (typeof rows)[number]>,
      );
    }),
  );
  return [...past, point(current.label, "now", judgedRows(await countsNow()))];
}

const judgedRows = (counts: ControlCounts) =>
  Object.fromEntries(
    CONTROL_IDS.map((id) => [
      id,
      { met: counts[id].MET, notMet: counts[id].NOT_MET, cannotJudge: counts[id].CANNOT_JUDGE },
    ]),
  ) as Record<ControlId, { met: number; notMet: number; cannotJudge: number }>;

function point(
  quarter: string,
  asOf: string,
  rows: Partial<Record<ControlId, { met: number; notMet: number; cannotJudge: number }>>,
): TrendPoint {
  const byControl = Object.fromEntries(
    CONTROL_IDS.map((id) => [
      id,
      { met: rows[id]?.met ?? 0, notMet: rows[id]?.notMet ?? 0, cannotJudge: rows[id]?.cannotJudge ?? 0 },
    ]),
  ) as Record<ControlId, { met: number; notMet: number; cannotJudge: number }>;
  const sum = (k: "met" | "notMet" | "cannotJudge") => CONTROL_IDS.reduce((n, id) => n + byControl[id][k], 0);
  return { quarter, asOf, met: sum("met"), notMet: sum("notMet"), cannotJudge: sum("cannotJudge"), byControl };
}
