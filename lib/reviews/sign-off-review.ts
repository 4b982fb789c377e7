import "server-only";
import { authorizedWrite, type WriteContext } from "@/lib/audit/authorized-write";
import { requireRolePermission } from "@/lib/authz/policy";
import { AppError, staleVersion } from "@/lib/errors";
import { CHECKLIST_ITEMS, DECISION_LABELS, FOLLOW_UP_DUE_DAYS, type TDecision } from "@/lib/reviews/schemas";
import { parseSnapshot } from "@/lib/reviews/snapshot";
import { reviewTarget } from "@/lib/reviews/review-target";
import { queueNotifications } from "@/lib/notifications/notify";
import { db } from "@/lib/db/client";
import { readObservedAccess } from "@/lib/observed/queries";
import { NO_OBSERVED, freezeObserved, reviewObserved } from "@/lib/reviews/observed";

/**
 * Closes the review: every frozen grant must have a decision and every checklist item an answer.
 * Revoke and change-scope decisions become follow-ups for the API's owner. After this the review is
 * immutable (the policy refuses edits); corrections are addenda.
 */
export async function signOffReview(ctx: WriteContext, reviewId: string, expectedVersion: number): Promise<void> {
  requireRolePermission(ctx.actor, "review:edit");
  // What the traffic shows of each frozen grant, read before the write (the reader is authorised with it
  // below); frozen into the review, and its hash into the audit entry, so the record keeps what the
  // reviewer decided on.
  const observed = await observedAtSignOff(reviewId);
  await authorizedWrite(ctx, { permission: "review:edit", loadTarget: reviewTarget(reviewId) }, async (tx, audit) => {
    const review = await tx.review.findUniqueOrThrow({
      where: { id: reviewId },
      include: { api: { select: { ownerId: true, name: true } } },
    });
    if (review.version !== expectedVersion)
      throw staleVersion("This review was changed after you opened it. Reload before signing off.");
    if (review.status === "NOT_STARTED")
      throw new AppError("VALIDATION", "Start the review and decide every grant before signing off.");
    const clients = parseSnapshot(review.snapshot);
    const decisions = JSON.parse(review.decisions) as Record<string, TDecision>;
    const undecided = clients.filter((c) => !decisions[c.id]);
    if (undecided.length) {
      throw new AppError(
        "VALIDATION",
        `Decide every grant before signing off: ${undecided.map((c) => c.name).join(", ")} ${undecided.length === 1 ? "has" : "have"} no decision (save your decisions first).`,
      );
    }
    const checklist = JSON.parse(review.checklist) as Record<string, unknown>;
    const unanswered = CHECKLIST_ITEMS.filter(([key]) => !checklist[key]).map(([, label]) => label);
    if (unanswered.length)
      throw new AppError(
        "VALIDATION",
        `Answer every checklist item before signing off (missing: ${unanswered.join("; ")}).`,
      );

    const dueOn = new Date(Date.now() + FOLLOW_UP_DUE_DAYS * 86_400_000);
    const followUps = clients
      .filter((c) => decisions[c.id]!.decision !== "KEEP")
      .map((c) => ({
        reviewId,
        ownerId: review.api.ownerId,
        dueOn,
        fromClientId: c.id,
        description: `${DECISION_LABELS[decisions[c.id]!.decision]} for client “${c.name}” on ${review.api.name}: ${decisions[c.id]!.reason}`,
      }));
    for (const f of followUps) {
      const created = await tx.followUp.create({ data: f });
      // The API's owner is told of each action assigned to them (and e-mailed when SMTP is set up).
      if (f.ownerId)
        await queueNotifications(tx, [
          {
            userId: f.ownerId,
            kind: "follow-up-assigned",
            text: `New follow-up from the access review of ${review.api.name}: ${f.description}`,
            link: `/reviews/${reviewId}#follow-ups`,
            dedupeKey: `follow-up:${created.id}:assigned`,
          },
        ]);
      await audit({
        action: "review.follow-up-create",
        targetType: "review",
        targetId: reviewId,
        summary: `Follow-up: ${f.description}`,
        details: { followUpId: created.id, ownerId: f.ownerId, dueOn },
      });
    }
    await tx.review.update({
      where: { id: reviewId },
      data: {
        status: "SIGNED_OFF",
        signedOffAt: new Date(),
        signedOffById: ctx.actor.id,
        observedAtSignOff: observed.json,
        version: { increment: 1 },
      },
    });
    await audit({
      action: "review.sign-off",
      targetType: "review",
      targetId: reviewId,
      summary: `Signed off the review of ${review.api.name}`,
      details: {
        snapshotHash: review.snapshotHash,
        decisions,
        followUps: followUps.length,
        observedSha256: observed.sha256,
      },
    });
  });
}

async function observedAtSignOff(reviewId: string) {
  const review = await db.review.findUnique({
    where: { id: reviewId },
    select: { apiId: true, snapshot: true, api: { select: { lifecycle: true } } },
  });
  if (!review) return freezeObserved(NO_OBSERVED);
  const traffic = await readObservedAccess(review.apiId, review.api.lifecycle);
  return freezeObserved(reviewObserved(traffic, parseSnapshot(review.snapshot)));
}
