import { errors, scopes, idParam } from "@/lib/rest/openapi/shared";

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
              schema: { type: "object", properties: { data: { type: "array", items: { type: "object" } } } },
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
        "200": { description: "The campaign.", content: { "application/json": { schema: { type: "object" } } } },
        ...errors("401", "403", "404", "429"),
      },
    },
  },
  "/api/v1/reviews/{id}": {
    parameters: [idParam],
    get: {
      operationId: "getReview",
      tags: ["Access reviews"],
      summary: "One review: frozen grants, decisions, checklist, sign-off, actions, addenda",
      security: scopes("reviews:read"),
      responses: {
        "200": { description: "The review.", content: { "application/json": { schema: { type: "object" } } } },
        ...errors("401", "403", "404", "429"),
      },
    },
  },
};
