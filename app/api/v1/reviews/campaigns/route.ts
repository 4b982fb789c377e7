import { apiRead } from "@/lib/rest/api-route";
import { listCampaigns } from "@/lib/reviews/queries";

/** Access-review campaigns with their progress (auditors: scope reviews:read). */
export const GET = apiRead(async ({ principal }) => Response.json({ data: await listCampaigns(principal.actor) }));
