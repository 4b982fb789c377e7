import "server-only";
import { db } from "@/lib/db/client";
import { can, requirePermission, type Actor } from "@/lib/authz/policy";
import { CONTROL_COLUMN, CONTROL_IDS } from "@/lib/ism/controls";
import { SENSITIVITIES } from "@/lib/apis/enums";
import { getSignInAlerts } from "@/lib/dashboard/queries";
import { getTrafficStates, type TrafficStates } from "@/lib/observed/api-states";

export type AttentionItem = { key: string; tone: "bad" | "warn"; count: number; text: string; href: string };

/** PROTECTED and above: where an unmet control matters most. */
const PROTECTED_RANK = SENSITIVITIES.indexOf("PROTECTED");
const PROTECTED_UP = SENSITIVITIES.slice(PROTECTED_RANK);

/**
 * What is urgent for the signed-in person, first on the dashboard: open alerts, overdue reviews and
 * follow-ups, finding triages waiting for their approval, and controls not met on PROTECTED-or-higher
 * APIs. A system owner sees their own APIs and
 * follow-ups, a manager the reviews assigned to them; admins and auditors see the whole installation.
 * Items with a count of zero are left out, so an empty list means nothing is urgent.
 */
export async function getAttention(
  actor: Actor | null,
  now = new Date(),
  /** The traffic states: the page's own read, shared with its traffic section. */
  trafficStates: () => Promise<TrafficStates> = () => getTrafficStates(actor, now),
): Promise<AttentionItem[]> {
  requirePermission(actor, "api:read");
  const person = actor?.kind === "user" ? actor : null;
  const ownerOnly = person?.role === "SYSTEM_OWNER";
  const mine = (id: string | null | undefined) => (ownerOnly ? { ownerId: id ?? "" } : {});
  const unmetWhere = {
    deletedAt: null,
    // By name, not rank: the dashboard's covering index on the API table holds the name (7 ms, not 48, at 50,000).
    sensitivity: { in: PROTECTED_UP },
    OR: CONTROL_IDS.map((id) => ({ [CONTROL_COLUMN[id]]: "NOT_MET" })),
    ...mine(person?.id),
  };
  const overdueFollowUpWhere = {
    status: "OPEN" as const,
    dueOn: { lt: now },
    ...(ownerOnly || person?.role === "MANAGER" ? { ownerId: person.id } : {}),
  };
  const reviewerOnly = person?.role === "MANAGER" || ownerOnly;
  // An owner's alerts: those on the APIs they own (alerts carry the API's id, not a relation).
  const ownedIds = ownerOnly
    ? (await db.api.findMany({ where: { ownerId: person.id, deletedAt: null }, select: { id: true } })).map((a) => a.id)
    : null;
  // Finding triages waiting for this person's decision (the named approver): the first one's API is the link.
  const awaitingWhere = { status: "PENDING" as const, approverId: person?.id ?? "", expiresOn: { gt: now } };
  const [openAlerts, signInAlerts, overdueReviews, overdueFollowUps, unmet, awaiting, firstAwaiting, traffic] =
    await Promise.all([
      can(actor, "event:read")
        ? db.authAlert.count({ where: { acknowledgedAt: null, ...(ownedIds ? { apiId: { in: ownedIds } } : {}) } })
        : 0,
      can(actor, "security-alerts:read") ? getSignInAlerts() : null,
      db.review.count({
        where: {
          status: { not: "SIGNED_OFF" },
          campaign: { dueOn: { lt: now } },
          ...(reviewerOnly ? { reviewerId: person?.id ?? "" } : {}),
        },
      }),
      db.followUp.count({ where: overdueFollowUpWhere }),
      db.api.count({ where: unmetWhere }),
      db.findingTriage.count({ where: awaitingWhere }),
      db.findingTriage.findFirst({ where: awaitingWhere, orderBy: { requestedAt: "asc" }, select: { apiId: true } }),
      trafficStates(),
    ]);
  // Accounts locked now, or with ten or more failed sign-ins in the last seven days.
  const lockedOrFailing = signInAlerts
    ? new Set([
        ...signInAlerts.locked.map((l) => l.email),
        ...signInAlerts.accounts.filter((a) => a.count >= 10).map((a) => a.email),
      ]).size
    : 0;
  const protectedFilter = PROTECTED_UP.map((s) => `sensitivity=${s}`).join("&");
  const items: AttentionItem[] = [
    {
      key: "api-alerts",
      tone: "bad",
      count: openAlerts,
      text: ownerOnly ? "open authentication alerts on your APIs" : "open API authentication alerts",
      href: "#api-alerts-h",
    },
    {
      key: "sign-in-alerts",
      tone: "bad",
      count: lockedOrFailing,
      text: "accounts locked or failing to sign in repeatedly (7 days)",
      href: "#alerts-h",
    },
    {
      key: "overdue-reviews",
      tone: "bad",
      count: overdueReviews,
      text: reviewerOnly ? "of your access reviews are overdue" : "access reviews are overdue",
      href: "/reviews",
    },
    {
      key: "overdue-follow-ups",
      tone: "bad",
      count: overdueFollowUps,
      text: ownerOnly || person?.role === "MANAGER" ? "of your follow-ups are overdue" : "follow-ups are overdue",
      href: "#my-work-h",
    },
    {
      key: "triage-approvals",
      tone: "warn",
      count: awaiting,
      text:
        awaiting === 1
          ? "OpenAPI finding triage waits for your approval"
          : "OpenAPI finding triages wait for your approval",
      href: firstAwaiting ? `/apis/${firstAwaiting.apiId}#findings` : "/apis",
    },
    {
      key: "zombie-apis",
      tone: "bad",
      count: traffic.zombieCount,
      text: "deprecated or retired APIs are still being called (zombie APIs)",
      href: "#traffic-h",
    },
    {
      key: "discovered-apis",
      tone: "warn",
      count: traffic.discovered,
      text: "APIs were called that are not in the inventory (discovered)",
      href: "/traffic/routing",
    },
    {
      key: "unmet-protected",
      tone: "warn",
      count: unmet,
      text: ownerOnly
        ? "of your PROTECTED-or-higher APIs do not meet an ISM control"
        : "PROTECTED-or-higher APIs do not meet an ISM control",
      href: `/apis?${protectedFilter}${ownerOnly && person ? `&owner=${person.id}` : ""}&sort=sensitivity&desc=1`,
    },
  ];
  return items.filter((i) => i.count > 0);
}

export type SetupStep = { key: string; done: boolean; text: string; href: string; action: string };

/**
 * A new installation's first steps, for an administrator, until every one is done: teams, people, the
 * first API, the ISM catalog and a review campaign (each links to where it is done).
 */
export async function getSetupSteps(actor: Actor | null): Promise<SetupStep[] | null> {
  if (!can(actor, "user:manage")) return null;
  // Whether there is one, not how many: a count reads 50,000 APIs to say "done".
  const [teams, people, apis, catalogs, campaigns] = await Promise.all([
    db.team.findFirst({ select: { id: true } }),
    db.user.findFirst({ where: { role: { not: "ADMIN" } }, select: { id: true } }),
    db.api.findFirst({ where: { deletedAt: null }, select: { id: true } }),
    db.ismCatalog.findFirst({ select: { id: true } }),
    db.reviewCampaign.findFirst({ select: { id: true } }),
  ]);
  const steps: SetupStep[] = [
    {
      key: "teams",
      done: teams !== null,
      text: "Create the teams that own APIs",
      href: "/users",
      action: "Users and teams",
    },
    {
      key: "people",
      done: people !== null,
      text: "Add system owners, managers and auditors (or connect single sign-on)",
      href: "/users",
      action: "Add people",
    },
    { key: "api", done: apis !== null, text: "Register the first API", href: "/apis/new", action: "Register an API" },
    {
      key: "ism",
      done: catalogs !== null,
      text: "Import ASD's ISM catalog (OSCAL) for the official control text",
      href: "/controls",
      action: "ISM controls",
    },
    {
      key: "campaign",
      done: campaigns !== null,
      text: "Open the quarter's access-review campaign",
      href: "/reviews",
      action: "Access reviews",
    },
  ];
  return steps.every((s) => s.done) ? null : steps;
}
