import "server-only";
// What the bundle's OSCAL documents read beyond the tables: who signed off the reviews in scope, and
// the open follow-up work for the POA&M.
import { db } from "@/lib/db/client";
import { emailOf, paged } from "@/lib/evidence/table";
import { reviewWhere, incidentWhere } from "@/lib/evidence/review-tables";
import type { SignOff } from "@/lib/evidence/oscal-documents";

/** The people who signed off a review in scope (a few hundred at most): the attestations' parties. */
export async function reviewers(ctx: Parameters<typeof reviewWhere>[0]): Promise<{ email: string; name: string }[]> {
  const rows = await db.review.groupBy({
    by: ["signedOffById", "reviewerId"],
    where: { ...reviewWhere(ctx), status: "SIGNED_OFF" },
  });
  return rows.map((r) => {
    const id = r.signedOffById ?? r.reviewerId;
    const email = emailOf(ctx, id) ?? "unknown";
    return { email, name: (id && ctx.people.get(id)?.name) || email };
  });
}

export async function* signOffs(ctx: Parameters<typeof reviewWhere>[0]): AsyncIterable<SignOff> {
  const page = (after: { id: string } | null, take: number) =>
    db.review.findMany({
      where: { ...reviewWhere(ctx), status: "SIGNED_OFF", ...(after ? { id: { gt: after.id } } : {}) },
      select: {
        id: true,
        signedOffAt: true,
        signedOffById: true,
        reviewerId: true,
        campaign: { select: { quarter: true } },
        api: { select: { name: true } },
      },
      orderBy: { id: "asc" },
      take,
    });
  for await (const r of paged(page)) {
    yield {
      reviewId: r.id,
      api: r.api.name,
      quarter: r.campaign.quarter,
      reviewer: emailOf(ctx, r.signedOffById ?? r.reviewerId) ?? "unknown",
      signedOffAt: r.signedOffAt?.toISOString() ?? "",
    };
  }
}

export async function openItems(ctx: Parameters<typeof reviewWhere>[0]) {
  const followUps = await db.followUp.findMany({
    where: { status: "OPEN", OR: [{ review: reviewWhere(ctx) }, { incident: incidentWhere(ctx) }] },
    orderBy: { id: "asc" },
  });
  return followUps.map((f) => ({
    id: f.id,
    title: f.description.slice(0, 120),
    description: f.description,
    owner: emailOf(ctx, f.ownerId),
    due: f.dueOn?.toISOString().slice(0, 10) ?? null,
    source: f.reviewId ? "access review" : "incident",
  }));
}
