import { apiRead } from "@/lib/rest/api-route";
import { AppError } from "@/lib/errors";
import { getCampaign } from "@/lib/reviews/queries";

export const GET = apiRead<{ id: string }>(async ({ principal, params }) => {
  const campaign = await getCampaign(principal.actor, params.id.slice(0, 64));
  if (!campaign) throw new AppError("NOT_FOUND", "That campaign does not exist.");
  return Response.json(campaign);
});
