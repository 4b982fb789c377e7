import "server-only";
import { authorizedWrite, type WriteContext } from "@/lib/audit/authorized-write";
import type { Tx } from "@/lib/db/client";
import { requireRolePermission } from "@/lib/authz/policy";
import { AppError, staleVersion } from "@/lib/errors";
import { parseOrThrow } from "@/lib/input/validation";
import { toDate } from "@/lib/input/date-input";
import { buildSnapshot, parseSnapshot } from "@/lib/reviews/snapshot";
import { ZReviewInput } from "@/lib/reviews/schemas";
import { reviewTarget } from "@/lib/reviews/review-target";

/** Freezes the API's clients and grants into the review (once) and marks it in progress. */
export async function freezeSnapshot(tx: Tx, reviewId: string): Promise<{ snapshot: string; frozen: boolean }> {
  const review = await tx.review.findUniqueOrThrow({
    where: { id: reviewId },
    select: { apiId: true, snapshot: true, status: true },
  });
  if (review.status !== "NOT_STARTED") return { snapshot: review.snapshot, frozen: false };
  const { json, hash } = buildSnapshot(await tx.apiClient.findMany({ where: { apiId: review.apiId } }));
  await tx.review.update({
    where: { id: reviewId },
    data: {
      snapshot: json,
      snapshotHash: hash,
      status: "IN_PROGRESS",
      startedAt: new Date(),
      version: { increment: 1 },
    },
  });
  return { snapshot: json, frozen: true };
}

/** Starts a review: the snapshot of what is being reviewed is taken now. */
export async function startReview(ctx: WriteContext, reviewId: string): Promise<void> {
  requireRolePermission(ctx.actor, "review:edit");
  await authorizedWrite(ctx, { permission: "review:edit", loadTarget: reviewTarget(reviewId) }, async (tx, audit) => {
    const { frozen } = await freezeSnapshot(tx, reviewId);
    if (!frozen) throw new AppError("CONFLICT", "This review has already started.");
    const r = await tx.review.findUniqueOrThrow({ where: { id: reviewId }, select: { snapshotHash: true } });
    await audit({
      action: "review.start",
      targetType: "review",
      targetId: reviewId,
      summary: "Started the review; grants frozen for review",
      details: { snapshotHash: r.snapshotHash },
    });
  });
}

/**
 * Saves the reviewer's work. `expectedVersion` is the version the reviewer loaded: a second reviewer's
 * save in between is never silently overwritten.
 */
export async function saveReview(
  ctx: WriteContext,
  reviewId: string,
  expectedVersion: number,
  rawInput: unknown,
): Promise<{ version: number }> {
  requireRolePermission(ctx.actor, "review:edit");
  const input = parseOrThrow(ZReviewInput, rawInput);
  return authorizedWrite(ctx, { permission: "review:edit", loadTarget: reviewTarget(reviewId) }, async (tx, audit) => {
    const before = await tx.review.findUniqueOrThrow({ where: { id: reviewId } });
    if (before.version !== expectedVersion) {
      throw staleVersion(
        "This review was changed by someone else after you opened it. Reload to see their changes; your edits were not saved.",
      );
    }
    const { snapshot } = await freezeSnapshot(tx, reviewId);
    const ids = new Set(parseSnapshot(snapshot).map((c) => c.id));
    const unknown = Object.keys(input.decisions).filter((id) => !ids.has(id));
    if (unknown.length)
      throw new AppError("VALIDATION", "A decision refers to a client that is not in this review's snapshot.");
    const data = {
      meetingDate: toDate(input.meetingDate),
      attendees: input.attendees,
      notes: input.notes,
      findings: input.findings,
      checklist: JSON.stringify(input.checklist),
      decisions: JSON.stringify(input.decisions),
    };
    const after = await tx.review.update({ where: { id: reviewId }, data: { ...data, version: { increment: 1 } } });
    await audit({
      action: "review.update",
      targetType: "review",
      targetId: reviewId,
      summary: "Saved review work",
      before: {
        meetingDate: before.meetingDate,
        attendees: before.attendees,
        notes: before.notes,
        findings: before.findings,
        checklist: before.checklist,
        decisions: before.decisions,
      },
      after: data,
    });
    return { version: after.version };
  });
}
