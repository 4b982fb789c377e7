// Calendar dates as the forms, CSV files and API exchange them: "YYYY-MM-DD", stored as UTC midnight.
// Shared by every domain so a date means the same thing in a grant, a review, a policy and a training.
import { z } from "zod";

const isCalendarDate = (v: string) =>
  /^\d{4}-\d{2}-\d{2}$/.test(v) &&
  !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) &&
  new Date(`${v}T00:00:00Z`).toISOString().startsWith(v);

/** "" or a calendar date YYYY-MM-DD (UTC midnight). */
export const ZOptionalDate = (label: string) =>
  z
    .string({ error: `${label} must be text.` })
    .trim()
    .refine((v) => v === "" || isCalendarDate(v), `${label} must be a date like 2026-11-22.`);

/** A required calendar date YYYY-MM-DD. */
export const ZDate = (label: string) =>
  z
    .string({ error: `${label} is required.` })
    .trim()
    .min(1, `${label} is required.`)
    .refine(isCalendarDate, `${label} must be a date like 2026-11-22.`);

export const toDate = (v: string): Date | null => (v ? new Date(`${v}T00:00:00Z`) : null);
export const fromDate = (d: Date | null): string => (d ? d.toISOString().slice(0, 10) : "");
/** Today as YYYY-MM-DD (UTC), for defaults and "not in the future" checks. */
export const todayInput = (now = new Date()): string => now.toISOString().slice(0, 10);
/** The date `days` after today as YYYY-MM-DD (UTC): defaults such as "review again in a year". */
export const daysFromTodayInput = (days: number, now = new Date()): string =>
  todayInput(new Date(now.getTime() + days * 86_400_000));
