// A campaign's reviews as a list view (client-safe): by API name, or by team.
import { defineTable, firstParam, parseTableParams, type SearchParamsRecord } from "@/lib/tables/table-params";

export const CAMPAIGN_REVIEW_TABLE = defineTable({ sorts: ["api", "team"], defaultSort: "api" });

export function parseCampaignReviewView(raw: SearchParamsRecord) {
  return { ...parseTableParams(raw, CAMPAIGN_REVIEW_TABLE), campaign: firstParam(raw, "campaign").slice(0, 64) };
}
export type CampaignReviewView = ReturnType<typeof parseCampaignReviewView>;
