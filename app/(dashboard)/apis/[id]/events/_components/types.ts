import type { dailyOutcomes, listAuthEvents } from "@/lib/events/queries";

// What the events page's sections are given, as the queries return it.
export type AuthEvents = Awaited<ReturnType<typeof listAuthEvents>>;
export type DailyOutcomes = Awaited<ReturnType<typeof dailyOutcomes>>;

/** An event time as the page shows it (UTC, to the second), or "never". */
export const when = (iso: string | null) => (iso ? `${iso.replace("T", " ").slice(0, 19)}` : "never");
