// Access reviews as the pages and REST show them (lib/reviews/queries.ts), defined once: the types the
// queries return and the schemas the REST description gives (ReviewCampaignSummary, ReviewCampaign,
// Review). Client-safe.
import { z } from "zod";
import { SENSITIVITIES } from "@/lib/apis/enums";
import { ZFlag } from "@/lib/clients/flags";
import { ZObservedFlag } from "@/lib/observed/flags";
import { ZFollowUpView } from "@/lib/follow-ups/follow-up-view";
import { INCIDENT_STATUSES, SEVERITIES } from "@/lib/incidents/schemas";
import { ZDayOrEmpty, ZInstant, type SameShape } from "@/lib/records/json-schema";
import { ZReviewInput } from "@/lib/reviews/schemas";
import type { SnapshotChange, SnapshotClient } from "@/lib/reviews/snapshot";

export const REVIEW_STATES = ["NOT_STARTED", "IN_PROGRESS", "SIGNED_OFF", "OVERDUE"] as const;
const ZState = z.enum(REVIEW_STATES).meta({ description: "The status, or OVERDUE when open past the due date" });
const ZDay = z.string().meta({ format: "date" });
const count = z.int().min(0);

export const ZCampaignSummaryView = z.object({
  id: z.string(),
  quarter: z.string(),
  dueOn: ZDay,
  total: count.meta({ description: "Reviews in the campaign (a team-limited token counts its team's only)" }),
  counts: z.object(
    Object.fromEntries(REVIEW_STATES.map((s) => [s, count])) as Record<(typeof REVIEW_STATES)[number], typeof count>,
  ),
  coverage: z.number().min(0).max(1).meta({ description: "Signed off / total" }),
});

export const ZCampaignReviewRowView = z.object({
  id: z.string(),
  state: ZState,
  apiName: z.string(),
  team: z.string(),
  reviewerId: z.string().nullable(),
  reviewer: z.string().nullable(),
  apiOwnerId: z.string().nullable(),
});
export const ZCampaignView = z.object({
  id: z.string(),
  quarter: z.string(),
  dueOn: ZDay,
  reviews: z.array(ZCampaignReviewRowView),
});

const ZSnapshotClient = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.string(),
  credentialType: z.string(),
  scopes: z.array(z.string()),
  canModify: z.boolean(),
  approvedBy: z.string(),
  approvedAt: ZDayOrEmpty,
  credentialIssuedAt: ZDayOrEmpty,
  credentialExpiresAt: ZDayOrEmpty,
  credentialRotatedAt: ZDayOrEmpty,
  lastSeenAt: ZDayOrEmpty,
});
const ZSnapshotChange = z.object({
  kind: z.enum(["added", "removed", "changed"]),
  name: z.string(),
  fields: z.array(z.string()),
});
// The snapshot's format is frozen (lib/reviews/snapshot.ts, hashed when a review starts): the typecheck
// fails here if it and what the description says drift apart.
const _sameSnapshot: [
  SameShape<z.infer<typeof ZSnapshotClient>, SnapshotClient>,
  SameShape<z.infer<typeof ZSnapshotChange>, SnapshotChange>,
] = [true, true];
void _sameSnapshot;

export const ZReviewView = z.object({
  id: z.string(),
  version: z.int(),
  status: z.enum(["NOT_STARTED", "IN_PROGRESS", "SIGNED_OFF"]),
  state: ZState,
  quarter: z.string(),
  dueOn: ZDay,
  api: z.object({
    id: z.string(),
    name: z.string(),
    purpose: z.string(),
    teamId: z.string(),
    team: z.string(),
    sensitivity: z.enum(SENSITIVITIES),
    ownerId: z.string().nullable(),
    owner: z.string().nullable(),
  }),
  reviewerId: z.string().nullable(),
  reviewer: z.string().nullable(),
  startedAt: ZInstant.nullable(),
  snapshot: z.array(ZSnapshotClient).meta({ description: "The grants as frozen when the review started" }),
  flags: z.record(z.string(), z.array(ZFlag)).meta({ description: "Frozen grant id → its review flags" }),
  observed: z
    .object({
      lastEventAt: ZInstant.nullable().meta({
        description: "The newest event the flags were judged from; null when no traffic was observed",
      }),
      grants: z.record(z.string(), z.array(ZObservedFlag)).meta({ description: "Frozen grant id → traffic flags" }),
      unknownCallers: z.array(
        z.object({ clientId: z.string(), calls: z.int(), lastAt: ZInstant, flag: ZObservedFlag }),
      ),
    })
    .meta({
      description:
        "What gateway traffic shows of each grant (observed versus granted): judged now while the review is open, as frozen at sign-off afterwards (empty for reviews signed off before traffic flags were kept)",
    }),
  snapshotHash: z.string(),
  live: z.array(ZSnapshotClient).meta({ description: "The API's grants now" }),
  changesSinceSnapshot: z.array(ZSnapshotChange),
  meetingDate: ZDayOrEmpty,
  attendees: z.string(),
  notes: z.string(),
  findings: z.string(),
  checklist: ZReviewInput.shape.checklist,
  decisions: ZReviewInput.shape.decisions.meta({ description: "Frozen grant id → the decision on it" }),
  signedOffAt: ZInstant.nullable(),
  signedOffBy: z.string().nullable(),
  followUps: z.array(ZFollowUpView),
  addenda: z.array(z.object({ id: z.string(), text: z.string(), author: z.string(), createdAt: ZInstant })),
  incidentsSince: ZInstant.meta({ description: "The previous signed-off review, else the quarter's start" }),
  incidents: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      severity: z.enum(SEVERITIES),
      status: z.enum(INCIDENT_STATUSES),
      detectedAt: ZInstant,
    }),
  ),
});

export type CampaignSummaryView = z.infer<typeof ZCampaignSummaryView>;
export type CampaignReviewRow = z.infer<typeof ZCampaignReviewRowView>;
export type CampaignView = z.infer<typeof ZCampaignView>;
export type ReviewDetail = z.infer<typeof ZReviewView>;
