import type { getDashboard } from "@/lib/dashboard/queries";
import type { getIncidentSummary } from "@/lib/incidents/queries";
import type { getReviewSummary } from "@/lib/reviews/queries";
import type { listAlerts } from "@/lib/events/queries";

// What the dashboard's sections are given, as the queries return it.
export type Dashboard = Awaited<ReturnType<typeof getDashboard>>;
export type ReviewSummary = Awaited<ReturnType<typeof getReviewSummary>>;
export type IncidentSummary = Awaited<ReturnType<typeof getIncidentSummary>>;
export type OpenAlerts = Awaited<ReturnType<typeof listAlerts>>;
