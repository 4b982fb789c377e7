import "server-only";
import { db } from "@/lib/db/client";
import { isOverdue } from "@/lib/follow-ups/queries";
import { INCIDENT_RECORD_INCLUDE, toIncidentRecord } from "@/lib/incidents/queries";
import { INCIDENT_DATA_COLUMNS, incidentDataRow } from "@/lib/incidents/record";
import { RELATION_PAGE, day, emailOf, iso, paged, type Table, type TableContext } from "@/lib/evidence/table";

/** Campaigns whose quarter overlaps the period; reviews of in-scope APIs in them. */
export function reviewWhere(ctx: TableContext) {
  return {
    campaign: { startsOn: { lt: ctx.scope.to }, endsOn: { gte: ctx.scope.from } },
    ...(ctx.apiIds ? { apiId: { in: ctx.apiIds } } : {}),
  };
}

/** Incidents open at any time in the period (reported before its end, not closed before its start). */
export function incidentWhere(ctx: TableContext) {
  return {
    reportedAt: { lt: ctx.scope.to },
    OR: [{ closedAt: null }, { closedAt: { gte: ctx.scope.from } }],
    ...(ctx.apiIds ? { apis: { some: { apiId: { in: ctx.apiIds } } } } : {}),
  };
}

export function reviewTables(ctx: TableContext): Table[] {
  const person = (id: string) => ({ id, name: ctx.people.get(id)?.name ?? "", email: emailOf(ctx, id) ?? "" });
  const pageOfReviews = (after: { id: string } | null, take: number) =>
    db.review.findMany({
      where: { ...reviewWhere(ctx), ...(after ? { id: { gt: after.id } } : {}) },
      // The frozen client list can hold hundreds of grants per review; the bundle carries its hash only.
      omit: { snapshot: true },
      include: {
        campaign: { select: { quarter: true, dueOn: true } },
        api: { select: { name: true } },
        addenda: { orderBy: [{ createdAt: "asc" }, { id: "asc" }] },
      },
      orderBy: { id: "asc" },
      take,
    });
  const pageOfIncidents = (after: { id: string } | null, take: number) =>
    db.incident.findMany({
      where: { ...incidentWhere(ctx), ...(after ? { id: { gt: after.id } } : {}) },
      include: INCIDENT_RECORD_INCLUDE,
      orderBy: { id: "asc" },
      take,
    });
  return [
    {
      name: "access-reviews",
      title: "Access reviews",
      description:
        "Quarterly access reviews of the in-scope APIs in campaigns overlapping the period: the reviewer, the frozen client snapshot's hash, each client decision, the checklist answers, findings and the sign-off, with any addenda made after sign-off.",
      columns: [
        "reviewId",
        "quarter",
        "apiId",
        "api",
        "reviewer",
        "status",
        "dueOn",
        "startedAt",
        "meetingDate",
        "attendees",
        "snapshotSha256",
        "decisions",
        "checklist",
        "findings",
        "notes",
        "signedOffAt",
        "signedOffBy",
        "addenda",
      ],
      rows: async function* () {
        for await (const r of paged(pageOfReviews, RELATION_PAGE)) {
          yield {
            reviewId: r.id,
            quarter: r.campaign.quarter,
            apiId: r.apiId,
            api: r.api.name,
            reviewer: emailOf(ctx, r.reviewerId),
            status: r.status,
            dueOn: day(r.campaign.dueOn),
            startedAt: iso(r.startedAt),
            meetingDate: day(r.meetingDate),
            attendees: r.attendees,
            snapshotSha256: r.snapshotHash || null,
            decisions: r.decisions,
            checklist: r.checklist,
            findings: r.findings,
            notes: r.notes,
            signedOffAt: iso(r.signedOffAt),
            signedOffBy: emailOf(ctx, r.signedOffById),
            addenda: r.addenda.length
              ? JSON.stringify(
                  r.addenda.map((a) => ({ at: iso(a.createdAt), by: emailOf(ctx, a.authorId), text: a.text })),
                )
              : null,
          };
        }
      },
    },
    {
      name: "follow-ups",
      title: "Follow-ups",
      description:
        "Follow-ups from those reviews (revocations and other fixes) and from those incidents (preventing recurrence): owner, due date, status, whether it was overdue when exported, how each was completed and what completing it changed on the live grant (a revocation removes the grant in the same audited write).",
      columns: [
        "followUpId",
        "source",
        "reviewId",
        "incidentId",
        "description",
        "owner",
        "dueOn",
        "status",
        "overdue",
        "completedAt",
        "completedNote",
        "appliedChange",
        "createdAt",
      ],
      rows: async function* () {
        const pageOfFollowUps = (after: { id: string } | null, take: number) =>
          db.followUp.findMany({
            where: {
              OR: [{ review: reviewWhere(ctx) }, { incident: incidentWhere(ctx) }],
              ...(after ? { id: { gt: after.id } } : {}),
            },
            orderBy: { id: "asc" },
            take,
          });
        for await (const a of paged(pageOfFollowUps)) {
          yield {
            followUpId: a.id,
            source: a.reviewId ? "access review" : "incident",
            reviewId: a.reviewId,
            incidentId: a.incidentId,
            description: a.description,
            owner: emailOf(ctx, a.ownerId),
            dueOn: day(a.dueOn),
            status: a.status,
            overdue: isOverdue(a, ctx.now),
            completedAt: iso(a.completedAt),
            completedNote: a.completedNote,
            appliedChange: a.appliedChange,
            createdAt: iso(a.createdAt),
          };
        }
      },
    },
    {
      name: "incidents",
      title: "Incidents",
      description:
        "Incidents open at any time in the period that affected in-scope APIs (all incidents when the scope is not limited): severity, status, times, root cause and lessons learned.",
      columns: INCIDENT_DATA_COLUMNS,
      rows: async function* () {
        for await (const i of paged(pageOfIncidents, RELATION_PAGE)) {
          yield incidentDataRow(toIncidentRecord(i, person));
        }
      },
    },
    {
      name: "incident-timeline",
      title: "Incident timelines",
      description: "Every dated note, status change, notification (to whom) and addendum on those incidents.",
      columns: ["incidentId", "at", "kind", "recipient", "text", "author"],
      rows: async function* () {
        for await (const i of paged(pageOfIncidents, RELATION_PAGE)) {
          const entries = await db.incidentEntry.findMany({
            where: { incidentId: i.id },
            orderBy: [{ at: "asc" }, { id: "asc" }],
          });
          for (const e of entries)
            yield {
              incidentId: i.id,
              at: iso(e.at),
              kind: e.kind,
              recipient: e.recipient,
              text: e.text,
              author: emailOf(ctx, e.authorId),
            };
        }
      },
    },
  ];
}
