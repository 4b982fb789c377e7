import "server-only";
import { observedAccess } from "@/lib/observed/queries";
import { NO_OBSERVED, reviewObserved, thawObserved } from "@/lib/reviews/observed";
import { db } from "@/lib/db/client";
import { can, requirePermission, tokenTeam, type Actor } from "@/lib/authz/policy";
import { incidentScope } from "@/lib/incidents/incident-target";
import { toReviewTarget } from "@/lib/reviews/review-target";
import { fromDate } from "@/lib/input/date-input";
import { followUpLink, isOverdue, toFollowUpView } from "@/lib/follow-ups/queries";
import { grantActionOf } from "@/lib/follow-ups/grant-action";
import { diffSnapshot, parseSnapshot, toSnapshotClient, type SnapshotClient } from "@/lib/reviews/snapshot";
import { grantFlags, type Flag } from "@/lib/clients/flags";
import { toDate } from "@/lib/input/date-input";
import { getSettings } from "@/lib/settings/queries";
import type { Sensitivity } from "@/lib/apis/enums";
import type { CampaignReviewView } from "@/lib/reviews/list-view";
import { pageWindow, type TablePage } from "@/lib/tables/table-params";
import {
  REVIEW_STATES,
  type CampaignReviewRow,
  type CampaignSummaryView,
  type CampaignView,
  type ReviewDetail,
} from "@/lib/reviews/review-view";

export type ReviewState = (typeof REVIEW_STATES)[number];
export const REVIEW_STATE_LABELS: Record<ReviewState, string> = {
  NOT_STARTED: "Not started",
  IN_PROGRESS: "In progress",
  SIGNED_OFF: "Signed off",
  OVERDUE: "Overdue",
};

export function reviewState(status: string, dueOn: Date, now = new Date()): ReviewState {
  if (status === "SIGNED_OFF") return "SIGNED_OFF";
  if (now > dueOn) return "OVERDUE";
  return status as ReviewState;
}

/** A campaign spans every team; a team-limited token sees (and counts) only its team's reviews in it. */
const reviewScope = (actor: Actor | null) => {
  const team = tokenTeam(actor);
  return team ? { api: { teamId: team } } : {};
};

export async function listCampaigns(actor: Actor | null): Promise<CampaignSummaryView[]> {
  requirePermission(actor, "review:read");
  const campaigns = await db.reviewCampaign.findMany({
    orderBy: { startsOn: "desc" },
    include: { reviews: { where: reviewScope(actor), select: { status: true } } },
  });
  const now = new Date();
  return campaigns.map((c) => {
    const counts = { NOT_STARTED: 0, IN_PROGRESS: 0, SIGNED_OFF: 0, OVERDUE: 0 } as Record<ReviewState, number>;
    for (const r of c.reviews) counts[reviewState(r.status, c.dueOn, now)]++;
    return {
      id: c.id,
      quarter: c.quarter,
      dueOn: fromDate(c.dueOn),
      total: c.reviews.length,
      counts,
      coverage: c.reviews.length ? counts.SIGNED_OFF / c.reviews.length : 0,
    };
  });
}

const CAMPAIGN_REVIEW_SELECT = {
  id: true,
  status: true,
  reviewerId: true,
  api: { select: { id: true, name: true, ownerId: true, team: { select: { name: true } } } },
} as const;

async function toCampaignReviewRows(
  reviews: {
    id: string;
    status: string;
    reviewerId: string | null;
    api: { name: string; ownerId: string | null; team: { name: string } };
  }[],
  dueOn: Date,
): Promise<CampaignReviewRow[]> {
  const reviewerIds = [...new Set(reviews.map((r) => r.reviewerId).filter((id): id is string => !!id))];
  const people = new Map(
    (await db.user.findMany({ where: { id: { in: reviewerIds } }, select: { id: true, name: true } })).map((u) => [
      u.id,
      u.name,
    ]),
  );
  const now = new Date();
  return reviews.map((r) => ({
    id: r.id,
    state: reviewState(r.status, dueOn, now),
    apiName: r.api.name,
    team: r.api.team.name,
    reviewerId: r.reviewerId,
    reviewer: r.reviewerId ? (people.get(r.reviewerId) ?? "unknown") : null,
    apiOwnerId: r.api.ownerId,
  }));
}

export async function getCampaign(actor: Actor | null, id: string): Promise<CampaignView | null> {
  requirePermission(actor, "review:read");
  const c = await db.reviewCampaign.findUnique({
    where: { id },
    include: {
      reviews: { where: reviewScope(actor), orderBy: { api: { name: "asc" } }, select: CAMPAIGN_REVIEW_SELECT },
    },
  });
  if (!c) return null;
  return {
    id: c.id,
    quarter: c.quarter,
    dueOn: fromDate(c.dueOn),
    reviews: await toCampaignReviewRows(c.reviews, c.dueOn),
  };
}

/** One page of a campaign's reviews, in the order the view names (null when there is no such campaign). */
export async function listCampaignReviews(
  actor: Actor | null,
  campaignId: string,
  view: CampaignReviewView,
): Promise<TablePage<CampaignReviewRow> | null> {
  requirePermission(actor, "review:read");
  const campaign = await db.reviewCampaign.findUnique({ where: { id: campaignId }, select: { dueOn: true } });
  if (!campaign) return null;
  const where = { campaignId, ...reviewScope(actor) };
  const dir = view.desc ? "desc" : "asc";
  const [total, reviews] = await Promise.all([
    db.review.count({ where }),
    db.review.findMany({
      where,
      orderBy: [view.sort === "team" ? { api: { team: { name: dir } } } : { api: { name: dir } }, { id: "asc" }],
      ...pageWindow(view),
      select: CAMPAIGN_REVIEW_SELECT,
    }),
  ]);
  return { total, rows: await toCampaignReviewRows(reviews, campaign.dueOn) };
}

export async function getReview(actor: Actor | null, id: string): Promise<ReviewDetail | null> {
  requirePermission(actor, "review:read");
  const r = await db.review.findUnique({
    where: { id },
    include: {
      campaign: true,
      api: {
        select: {
          id: true,
          name: true,
          purpose: true,
          ownerId: true,
          teamId: true,
          sensitivity: true,
          team: { select: { name: true } },
        },
      },
      followUps: { orderBy: { createdAt: "asc" } },
      addenda: { orderBy: { createdAt: "asc" } },
    },
  });
  if (!r) return null;
  // Asked again with the review as target: a token limited to one team reads only its team's reviews
  // (and their live grants).
  requirePermission(actor, "review:read", toReviewTarget(r));
  const people = new Map((await db.user.findMany({ select: { id: true, name: true } })).map((u) => [u.id, u.name]));
  const snapshot = parseSnapshot(r.snapshot);
  // "Incidents since the last review": since this API's previous signed-off review, else this quarter's start.
  const previous = await db.review.findFirst({
    where: {
      apiId: r.apiId,
      status: "SIGNED_OFF",
      id: { not: r.id },
      campaign: { startsOn: { lt: r.campaign.startsOn } },
    },
    orderBy: { campaign: { startsOn: "desc" } },
    select: { signedOffAt: true },
  });
  const incidentsSince = previous?.signedOffAt ?? r.campaign.startsOn;
  const live = (await db.apiClient.findMany({ where: { apiId: r.apiId }, orderBy: { name: "asc" } })).map(
    toSnapshotClient,
  );
  // The API page's review flags beside each frozen grant, judged as the reviewer saw them: today while
  // the review is open, on the day it was signed off afterwards.
  const judgedAt = r.signedOffAt ?? new Date();
  const settings = await getSettings();
  const flagsOf = (c: SnapshotClient): Flag[] =>
    grantFlags(
      {
        canModify: c.canModify,
        approvedBy: c.approvedBy,
        credentialIssuedAt: toDate(c.credentialIssuedAt),
        credentialExpiresAt: toDate(c.credentialExpiresAt),
        credentialRotatedAt: toDate(c.credentialRotatedAt),
        lastSeenAt: toDate(c.lastSeenAt),
      },
      r.api.sensitivity as Sensitivity,
      settings,
      judgedAt,
    );
  // Observed versus granted: judged now while the review is open (the decisions are made on it), as
  // frozen at sign-off afterwards. Shown to those who may read the API's events (a token limited to
  // reviews:read gets none).
  const mayRead = can(actor, "event:read", { ownerId: r.api.ownerId, teamId: r.api.teamId });
  const observed = !mayRead
    ? NO_OBSERVED
    : r.status === "SIGNED_OFF"
      ? thawObserved(r.observedAtSignOff)
      : reviewObserved(await observedAccess(actor, r.apiId), snapshot);
  return {
    id: r.id,
    version: r.version,
    status: r.status,
    state: reviewState(r.status, r.campaign.dueOn),
    quarter: r.campaign.quarter,
    dueOn: fromDate(r.campaign.dueOn),
    api: {
      id: r.api.id,
      name: r.api.name,
      purpose: r.api.purpose,
      teamId: r.api.teamId,
      team: r.api.team.name,
      sensitivity: r.api.sensitivity as Sensitivity,
      ownerId: r.api.ownerId,
      owner: r.api.ownerId ? (people.get(r.api.ownerId) ?? null) : null,
    },
    reviewerId: r.reviewerId,
    reviewer: r.reviewerId ? (people.get(r.reviewerId) ?? "unknown") : null,
    startedAt: r.startedAt?.toISOString() ?? null,
    snapshot,
    flags: Object.fromEntries(snapshot.map((c) => [c.id, flagsOf(c)])) as Record<string, Flag[]>,
    observed,
    snapshotHash: r.snapshotHash,
    // Not started: the live grants are what will be frozen; afterwards, changes since the freeze.
    live,
    changesSinceSnapshot: r.status === "NOT_STARTED" ? [] : diffSnapshot(snapshot, live),
    meetingDate: fromDate(r.meetingDate),
    attendees: r.attendees,
    notes: r.notes,
    findings: r.findings,
    checklist: JSON.parse(r.checklist) as ReviewDetail["checklist"],
    decisions: JSON.parse(r.decisions) as ReviewDetail["decisions"],
    signedOffAt: r.signedOffAt?.toISOString() ?? null,
    signedOffBy: r.signedOffById ? (people.get(r.signedOffById) ?? "unknown") : null,
    followUps: r.followUps.map((f) => {
      const action = grantActionOf(f, r.decisions);
      const client = action ? live.find((c) => c.id === action.clientId) : undefined;
      return toFollowUpView(
        f,
        people,
        action && {
          decision: action.decision,
          client: client ? { name: client.name, scopes: client.scopes, canModify: client.canModify } : null,
        },
      );
    }),
    addenda: r.addenda.map((a) => ({
      id: a.id,
      text: a.text,
      author: a.authorId ? (people.get(a.authorId) ?? "unknown") : "system",
      createdAt: a.createdAt.toISOString(),
    })),
    incidentsSince: incidentsSince.toISOString(),
    incidents: (
      await db.incident.findMany({
        where: {
          AND: [{ apis: { some: { apiId: r.apiId } } }, incidentScope(actor)],
          detectedAt: { gte: incidentsSince },
        },
        orderBy: { detectedAt: "desc" },
        select: { id: true, title: true, severity: true, status: true, detectedAt: true },
      })
    ).map((i) => ({ ...i, detectedAt: i.detectedAt.toISOString() })),
  };
}

/** What the signed-in person has to do: reviews assigned to them and open follow-ups they own. */
export async function getMyWork(actor: Actor | null) {
  requirePermission(actor, "review:read");
  if (!actor || actor.kind !== "user") return { reviews: [], followUps: [] };
  const [reviews, followUps] = await Promise.all([
    db.review.findMany({
      where: { reviewerId: actor.id, status: { not: "SIGNED_OFF" } },
      orderBy: { campaign: { dueOn: "asc" } },
      select: {
        id: true,
        status: true,
        api: { select: { name: true } },
        campaign: { select: { quarter: true, dueOn: true } },
      },
    }),
    db.followUp.findMany({
      where: { ownerId: actor.id, status: "OPEN" },
      orderBy: { dueOn: "asc" },
      select: { id: true, reviewId: true, incidentId: true, description: true, dueOn: true, status: true },
    }),
  ]);
  const now = new Date();
  return {
    reviews: reviews.map((r) => ({
      id: r.id,
      apiName: r.api.name,
      quarter: r.campaign.quarter,
      dueOn: fromDate(r.campaign.dueOn),
      state: reviewState(r.status, r.campaign.dueOn, now),
    })),
    followUps: followUps.map((f) => ({
      id: f.id,
      description: f.description,
      link: followUpLink(f),
      dueOn: fromDate(f.dueOn),
      overdue: isOverdue(f, now),
    })),
  };
}

/** Dashboard: coverage per quarter (signed-off / in scope), and overdue reviews and open follow-ups by team. */
export async function getReviewSummary(actor: Actor | null) {
  const campaigns = await listCampaigns(actor);
  const latest = campaigns[0];
  const byTeam = new Map<string, { overdue: number; openFollowUps: number; overdueFollowUps: number }>();
  const none = { overdue: 0, openFollowUps: 0, overdueFollowUps: 0 };
  if (latest) {
    const now = new Date();
    const c = await db.reviewCampaign.findUniqueOrThrow({
      where: { id: latest.id },
      include: { reviews: { select: { status: true, api: { select: { team: { select: { name: true } } } } } } },
    });
    for (const r of c.reviews) {
      if (reviewState(r.status, c.dueOn, now) !== "OVERDUE") continue;
      const t = byTeam.get(r.api.team.name) ?? { ...none };
      t.overdue++;
      byTeam.set(r.api.team.name, t);
    }
  }
  const open = await db.followUp.findMany({
    where: { status: "OPEN", reviewId: { not: null } },
    select: {
      status: true,
      dueOn: true,
      review: { select: { api: { select: { team: { select: { name: true } } } } } },
    },
  });
  const now = new Date();
  for (const a of open) {
    if (!a.review) continue;
    const name = a.review.api.team.name;
    const t = byTeam.get(name) ?? { ...none };
    t.openFollowUps++;
    if (isOverdue(a, now)) t.overdueFollowUps++;
    byTeam.set(name, t);
  }
  return {
    quarters: [...campaigns]
      .reverse()
      .slice(-6)
      .map((c) => ({ quarter: c.quarter, total: c.total, signedOff: c.counts.SIGNED_OFF, coverage: c.coverage })),
    latest: latest ?? null,
    byTeam: [...byTeam.entries()].map(([team, v]) => ({ team, ...v })).sort((a, b) => a.team.localeCompare(b.team)),
  };
}

/** How many open reviews of a campaign wait for a reviewer (within what the actor may read). */
export async function countUnassignedReviews(actor: Actor | null, campaignId: string): Promise<number> {
  requirePermission(actor, "review:read");
  return db.review.count({
    where: { campaignId, reviewerId: null, status: { not: "SIGNED_OFF" }, ...reviewScope(actor) },
  });
}

/** Names of people a review or an action can be given to (id and name only, for choosing). */
export async function listAssignablePeople(actor: Actor | null) {
  requirePermission(actor, "review:read");
  return db.user.findMany({
    where: { isActive: true, role: { not: "AUDITOR" } },
    orderBy: { name: "asc" },
    select: { id: true, name: true },
  });
}
