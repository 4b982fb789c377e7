import { ZCampaignSummaryView, ZCampaignView, ZReviewView } from "@/lib/reviews/review-view";
import { closedObject } from "@/lib/records/json-schema";
import { errors, scopes, idParam, view } from "@/lib/rest/openapi/shared";

/** The schemas of the Access reviews tag's responses, from the views the queries return. */
export const reviewsSchemas = () => ({
  ReviewCampaignSummary: view(ZCampaignSummaryView),
  ReviewCampaign: view(ZCampaignView),
  Review: view(ZReviewView),
});
const ref = (name: string) => ({ "application/json": { schema: { $ref: `#/components/schemas/${name}` } } });

/** The OpenAPI paths of the Access reviews tag. */
export const reviewsPaths = {
  "/api/v1/reviews/campaigns": {
    get: {
      operationId: "listReviewCampaigns",
      tags: ["Access reviews"],
      summary: "Quarterly review campaigns and their progress",
      security: scopes("reviews:read"),
      responses: {
        "200": {
          description: "Campaigns.",
          content: {
            "application/json": {
              schema: closedObject({
                data: { type: "array", items: { $ref: "#/components/schemas/ReviewCampaignSummary" } },
              }),
            },
          },
        },
        ...errors("401", "403", "429"),
      },
    },
  },
  "/api/v1/reviews/campaigns/{id}": {
    parameters: [idParam],
    get: {
      operationId: "getReviewCampaign",
      tags: ["Access reviews"],
      summary: "A campaign's reviews and their state",
      security: scopes("reviews:read"),
      responses: {
        "200": { description: "The campaign.", content: ref("ReviewCampaign") },
        ...errors("401", "403", "404", "429"),
      },
    },
  },
  "/api/v1/reviews/{id}": {
    parameters: [idParam],
    get: {
      operationId: "getReview",
      tags: ["Access reviews"],
      summary: "One review: frozen grants, decisions, checklist, sign-off, follow-ups, addenda",
      security: scopes("reviews:read"),
      responses: {
        "200": { description: "The review.", content: ref("Review") },
        ...errors("401", "403", "404", "429"),
      },
    },
  },
};
