import { apiRead } from "@/lib/rest/api-route";
import { AppError } from "@/lib/errors";
import { getReview } from "@/lib/reviews/queries";

/** One access review: the frozen grants, decisions, checklist, sign-off, actions and addenda. */
export const GET = apiRead<{ id: string }>(async ({ principal, params }) => {
  const review = await getReview(principal.actor, params.id.slice(0, 64));
  if (!review) throw new AppError("NOT_FOUND", "That review does not exist.");
  return Response.json(review);
});
