"use server";
import { logError } from "@/lib/log/logger";
import { revalidatePath } from "next/cache";
import { runAction } from "@/lib/next/action-result";
import { requireWriteContext } from "@/lib/auth/write-context";
import { openCampaign } from "@/lib/reviews/open-campaign";
import { saveReview, startReview } from "@/lib/reviews/save-review";
import { signOffReview } from "@/lib/reviews/sign-off-review";
import { addAddendum } from "@/lib/reviews/add-addendum";
import { assignReviewer, assignUnassignedReviews } from "@/lib/reviews/assign-reviewer";
import { deliverPendingEmails } from "@/lib/notifications/deliver";
import { addApiToCampaign } from "@/lib/reviews/add-to-campaign";
import { addReviewFollowUp } from "@/lib/reviews/add-review-follow-up";
import { ZId, ZVersion } from "@/lib/input/validation";

export async function openCampaignAction(input: unknown) {
  return runAction(async () => {
    const result = await openCampaign(await requireWriteContext(), input);
    // E-mail after the commit; failures are recorded on each notification, never shown as a failed campaign.
    void deliverPendingEmails().catch((error) => logError("reminder e-mail delivery failed", error));
    revalidatePath("/reviews");
    return result;
  });
}

export async function startReviewAction(id: unknown) {
  return runAction(async () => {
    await startReview(await requireWriteContext(), ZId.parse(id));
    revalidatePath(`/reviews/${String(id)}`);
    return null;
  });
}

export async function saveReviewAction(id: unknown, version: unknown, input: unknown) {
  return runAction(async () => saveReview(await requireWriteContext(), ZId.parse(id), ZVersion.parse(version), input));
}

export async function signOffReviewAction(id: unknown, version: unknown) {
  return runAction(async () => {
    await signOffReview(await requireWriteContext(), ZId.parse(id), ZVersion.parse(version));
    revalidatePath("/reviews");
    return null;
  });
}

export async function addAddendumAction(id: unknown, input: unknown) {
  return runAction(async () => {
    await addAddendum(await requireWriteContext(), ZId.parse(id), input);
    return null;
  });
}

export async function assignReviewerAction(id: unknown, reviewerId: unknown) {
  return runAction(async () => {
    await assignReviewer(await requireWriteContext(), ZId.parse(id), ZId.parse(reviewerId));
    revalidatePath("/reviews");
    return null;
  });
}

export async function assignUnassignedReviewsAction(campaignId: unknown, reviewerId: unknown) {
  return runAction(async () => {
    const result = await assignUnassignedReviews(
      await requireWriteContext(),
      ZId.parse(campaignId),
      ZId.parse(reviewerId),
    );
    revalidatePath("/reviews");
    return result;
  });
}

export async function addApiToCampaignAction(campaignId: unknown, input: unknown) {
  return runAction(async () => {
    const result = await addApiToCampaign(await requireWriteContext(), ZId.parse(campaignId), input);
    revalidatePath("/reviews");
    return result;
  });
}

export async function addReviewFollowUpAction(reviewId: unknown, input: unknown) {
  return runAction(async () => {
    const result = await addReviewFollowUp(await requireWriteContext(), ZId.parse(reviewId), input);
    revalidatePath(`/reviews/${String(reviewId)}`);
    return result;
  });
}
