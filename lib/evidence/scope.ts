// What an evidence bundle covers: a period (a quarter, a year or two dates), the ISM controls, and
// optionally some teams or APIs. Pure, so the form, the REST route and the CLI refuse the same input
// with the same words.
import { z } from "zod";
import { CONTROL_IDS, type ControlId } from "@/lib/ism/controls";
import { parseQuarter } from "@/lib/reviews/quarters";

export type EvidenceScope = {
  /** As the person wrote it: "2026-Q4", "2026" or "2026-10-01..2026-12-31". */
  period: string;
  /** First day of the period, 00:00 UTC. */
  from: Date;
  /** The instant after the period's last day (exclusive end). */
  to: Date;
  controls: ControlId[];
  teamIds: string[];
  apiIds: string[];
};

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const MAX_DAYS = 3 * 366;

export const ZScopeInput = z
  .object({
    period: z.string().trim().min(1, "Choose a period: a quarter (2026-Q4), a year (2026) or dates.").max(40),
    controls: z
      .array(z.string().trim().toLowerCase())
      .max(CONTROL_IDS.length * 2)
      .default([]),
    teamIds: z.array(z.string().trim().min(1).max(64)).max(200).default([]),
    apiIds: z.array(z.string().trim().min(1).max(64)).max(5000).default([]),
  })
  .strict();
export type TScopeInput = z.input<typeof ZScopeInput>;

type Result = { ok: true; scope: EvidenceScope } | { ok: false; errors: Record<string, string[]> };

/**
 * Resolves the period against the installation's quarter convention (quarterStartMonth) and checks
 * the control ids. No controls means all six.
 */
export function resolveScope(raw: unknown, quarterStartMonth: number): Result {
  const parsed = ZScopeInput.safeParse(raw);
  if (!parsed.success) {
    const errors: Record<string, string[]> = {};
    for (const issue of parsed.error.issues) (errors[String(issue.path[0] ?? "scope")] ??= []).push(issue.message);
    return { ok: false, errors };
  }
  const input = parsed.data;
  const errors: Record<string, string[]> = {};
  const period = resolvePeriod(input.period, quarterStartMonth);
  if ("error" in period) errors.period = [period.error];
  const unknown = input.controls.filter((c) => !(CONTROL_IDS as readonly string[]).includes(c));
  if (unknown.length)
    errors.controls = [
      `Unknown control${unknown.length > 1 ? "s" : ""}: ${unknown.join(", ")}. Use ${CONTROL_IDS.join(", ")}.`,
    ];
  if (Object.keys(errors).length || "error" in period) return { ok: false, errors };
  const controls = input.controls.length ? CONTROL_IDS.filter((c) => input.controls.includes(c)) : [...CONTROL_IDS];
  return {
    ok: true,
    scope: {
      period: period.label,
      from: period.from,
      to: period.to,
      controls,
      teamIds: [...new Set(input.teamIds)].sort(),
      apiIds: [...new Set(input.apiIds)].sort(),
    },
  };
}

function resolvePeriod(
  text: string,
  quarterStartMonth: number,
): { label: string; from: Date; to: Date } | { error: string } {
  const value = text.trim();
  if (/^\d{4}-Q[1-4]$/i.test(value)) {
    const q = parseQuarter(value.toUpperCase(), quarterStartMonth, 0)!;
    return { label: q.label, from: q.startsOn, to: new Date(q.endsOn.getTime() + 86_400_000) };
  }
  if (/^\d{4}$/.test(value)) {
    const year = Number(value);
    return { label: value, from: new Date(Date.UTC(year, 0, 1)), to: new Date(Date.UTC(year + 1, 0, 1)) };
  }
  const range = /^(\S+)\s*(?:\.\.|to|–)\s*(\S+)$/.exec(value);
  if (range) {
    const [, start, end] = range as unknown as [string, string, string];
    if (!DAY.test(start) || !DAY.test(end) || !isRealDay(start) || !isRealDay(end))
      return { error: "Write dates as YYYY-MM-DD, e.g. 2026-10-01..2026-12-31." };
    const from = new Date(`${start}T00:00:00Z`);
    const to = new Date(new Date(`${end}T00:00:00Z`).getTime() + 86_400_000);
    if (to <= from) return { error: `The period ends (${end}) before it starts (${start}).` };
    if ((to.getTime() - from.getTime()) / 86_400_000 > MAX_DAYS)
      return { error: "A period covers at most three years; export longer spans as several bundles." };
    return { label: `${start}..${end}`, from, to };
  }
  return {
    error: `“${value.slice(0, 40)}” is not a period. Use a quarter (2026-Q4), a year (2026) or dates (2026-10-01..2026-12-31).`,
  };
}

function isRealDay(day: string): boolean {
  const d = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === day;
}
