import { errors, scopes, idempotencyKey } from "@/lib/rest/openapi/shared";

/** The OpenAPI paths of the Backstage tag. */
export const backstagePaths = {
  "/api/v1/backstage/catalog": {
    get: {
      operationId: "exportBackstageCatalog",
      tags: ["Backstage"],
      summary: "The inventory as Backstage catalog entities",
      description:
        "One `kind: API` entity per YAML document: `spec.owner` (the team as a group), `spec.lifecycle`, `spec.type`, `spec.definition` (the attached OpenAPI description), and ApiLedger's own facts as `apiledger.io/*` annotations.",
      security: scopes("inventory:read"),
      responses: {
        "200": {
          description: "Multi-document YAML.",
          content: { "application/yaml": { schema: { type: "string" } } },
        },
        ...errors("401", "403", "429"),
      },
    },
  },
  "/api/v1/backstage/import": {
    post: {
      operationId: "importBackstageCatalog",
      tags: ["Backstage"],
      summary: "Import Backstage API entities",
      description:
        "Creates or updates inventory entries from `kind: API` entities (matched by the `apiledger.io/id` annotation, else by title). With `?dryRun=true` nothing is written and the response lists, per entity, the action and the changed fields. If any entity is invalid nothing is written.",
      security: scopes("inventory:write"),
      parameters: [{ name: "dryRun", in: "query", required: false, schema: { type: "boolean" } }, idempotencyKey],
      requestBody: { required: true, content: { "application/yaml": { schema: { type: "string" } } } },
      responses: {
        "200": {
          description: "What was (or would be) done.",
          content: { "application/json": { schema: { type: "object" } } },
        },
        ...errors("400", "401", "403", "413", "415", "422", "429"),
      },
    },
  },
};
