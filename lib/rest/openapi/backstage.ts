import { errors, scopes, idempotencyKey, view } from "@/lib/rest/openapi/shared";
import { ZCatalogImportView } from "@/lib/rest/openapi/backstage-import-view";
import { SENSITIVITIES } from "@/lib/apis/enums";

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
      parameters: [
        { name: "dryRun", in: "query", required: false, schema: { type: "boolean" } },
        {
          name: "defaultTeam",
          in: "query",
          required: false,
          description:
            "The id of the team for entities whose spec.owner is no ApiLedger team (a note says so per entity). Without it such entities are refused.",
          schema: { type: "string", maxLength: 64 },
        },
        {
          name: "defaultSensitivity",
          in: "query",
          required: false,
          description:
            "The sensitivity recorded for new APIs without an apiledger.io/sensitivity annotation. Without it such entities are refused.",
          schema: { type: "string", enum: [...SENSITIVITIES] },
        },
        idempotencyKey,
      ],
      requestBody: {
        required: true,
        description:
          "A YAML catalog, or a ZIP bundle: every `catalog-info.yaml` (or `.yml`) in it is read, and a `$text`, `$json` or `$yaml` `spec.definition` relative to its catalog file is read from the bundle, scanned and attached to the API once imported (the row's notes say which file and what the scan found, or why not). A bundle is refused as a whole (`fileErrors`; without `dryRun`, a 400 with `errors.file`) above 1000 entries, 16 MB per file, 40 MB inflated, or a file over 64 KB inflating more than 100 times, or with an entry that is a symbolic link, encrypted, named twice, not UTF-8, or a path that is absolute or climbs out with `..`.",
        content: {
          "application/yaml": { schema: { type: "string" } },
          "application/zip": { schema: { type: "string", format: "binary" } },
        },
      },
      responses: {
        "200": {
          description: "What was (or would be) done.",
          content: { "application/json": { schema: view(ZCatalogImportView) } },
        },
        ...errors("400", "401", "403", "413", "415", "422", "429"),
      },
    },
  },
};
