// Review quarters. "YYYY-Qn" is the n-th quarter of the year that begins in quarterStartMonth of YYYY:
// calendar quarters by default ("2026-Q4" = October–December 2026); with quarterStartMonth=7
// (Australian financial year starting July 2026) "2026-Q4" is April–June 2027. Dates are UTC days.

export type Quarter = { label: string; startsOn: Date; endsOn: Date; dueOn: Date };

const utc = (y: number, m: number, d: number) => new Date(Date.UTC(y, m, d));

export function parseQuarter(label: string, quarterStartMonth: number, dueDays: number): Quarter | null {
  const match = /^(\d{4})-Q([1-4])$/.exec(label.trim());
  if (!match) return null;
  const year = Number(match[1]);
  const q = Number(match[2]);
  const startMonth = quarterStartMonth - 1 + (q - 1) * 3; // may exceed 11: Date.UTC rolls into the next year
  const startsOn = utc(year, startMonth, 1);
  const endsOn = utc(year, startMonth + 3, 0); // last day of the quarter
  const dueOn = new Date(endsOn.getTime() + dueDays * 86_400_000);
  return { label: `${year}-Q${q}`, startsOn, endsOn, dueOn };
}

/** The quarter containing `now`. */
export function quarterOf(now: Date, quarterStartMonth: number, dueDays: number): Quarter {
  const monthsSinceStart = (now.getUTCMonth() - (quarterStartMonth - 1) + 12) % 12;
  const q = Math.floor(monthsSinceStart / 3) + 1;
  const year = now.getUTCMonth() >= quarterStartMonth - 1 ? now.getUTCFullYear() : now.getUTCFullYear() - 1;
  return parseQuarter(`${year}-Q${q}`, quarterStartMonth, dueDays)!;
}

/** The quarter `delta` quarters after `label` (before it when negative), or null for a malformed label. */
function shiftQuarter(label: string, delta: number): string | null {
  const match = /^(\d{4})-Q([1-4])$/.exec(label);
  if (!match) return null;
  const index = Number(match[1]) * 4 + Number(match[2]) - 1 + delta;
  return `${Math.floor(index / 4)}-Q${(index % 4) + 1}`;
}

/** The n quarters before `label`, oldest first (for comparisons). */
export function previousQuarters(label: string, n: number): string[] {
  if (!shiftQuarter(label, 0)) return [];
  return Array.from({ length: n }, (_, i) => shiftQuarter(label, i - n)!);
}

/** The quarters a new campaign can be opened for: the four before `label`, `label` itself and the next two. */
export function quarterChoices(label: string): string[] {
  if (!shiftQuarter(label, 0)) return [];
  return Array.from({ length: 7 }, (_, i) => shiftQuarter(label, i - 4)!);
}
