// The one definition of "in scope for access review", used by campaigns (which APIs get a review), the
// dashboard's coverage (a campaign's reviews) and the evidence bundle's "no signed-off review" gaps: a live
// API in service (active or deprecated) to which any access-control control applies — ISM-2013 and
// ISM-2014 for internal APIs, ISM-1818 and ISM-1817 for internet-facing ones — whether met, not met or
// not yet judged. An admin may add any other API to a campaign by hand.
import type { Prisma } from "@/lib/generated/prisma-sqlite/client";
import { CONTROLS, CONTROL_COLUMN, CONTROL_IDS, type ControlColumn } from "@/lib/ism/controls";
import type { Lifecycle } from "@/lib/apis/enums";

export const REVIEWED_LIFECYCLES = ["ACTIVE", "DEPRECATED"] as const satisfies readonly Lifecycle[];
/** The stored status columns of the access-control controls (kind "auth"). */
export const ACCESS_CONTROL_COLUMNS: readonly ControlColumn[] = CONTROL_IDS.filter(
  (id) => CONTROLS[id].kind === "auth",
).map((id) => CONTROL_COLUMN[id]);

/** The database filter for APIs in scope (live ones). */
export function accessReviewScopeWhere(): Prisma.ApiWhereInput {
  return {
    deletedAt: null,
    lifecycle: { in: [...REVIEWED_LIFECYCLES] },
    OR: ACCESS_CONTROL_COLUMNS.map((column) => ({ [column]: { not: "NOT_APPLICABLE" } })),
  };
}

/** The same test on a loaded API row (its stored control statuses). */
export function inAccessReviewScope(api: { lifecycle: string } & Record<ControlColumn, string>): boolean {
  return (
    (REVIEWED_LIFECYCLES as readonly string[]).includes(api.lifecycle) &&
    ACCESS_CONTROL_COLUMNS.some((column) => api[column] !== "NOT_APPLICABLE")
  );
}
