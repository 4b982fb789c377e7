import { ENUM_FILTERS, SORT_FIELDS } from "@/lib/apis/list-params";
import { closedObject } from "@/lib/records/json-schema";
import {
  writeAnswer,
  errors,
  scopes,
  idempotencyKey,
  idParam,
  apiDetail,
  apiSummary,
  location,
  versionEtag,
} from "@/lib/rest/openapi/shared";

const filterParams = Object.entries(ENUM_FILTERS).map(([name, values]) => ({
  name,
  in: "query",
  required: false,
  description: `Comma-separated; any of ${values.join(", ")}.`,
  schema: { type: "string" },
}));

/** The OpenAPI paths of the Inventory and Posture scan tags. */
export const inventoryPaths = {
  "/api/v1/apis": {
    get: {
      operationId: "listApis",
      tags: ["Inventory"],
      summary: "List APIs",
      description:
        "The inventory with the dashboard's filters and sort, paged by cursor: pass `nextCursor` back as `cursor` (with the same filters and sort). Pages stay consistent while others add or remove APIs.",
      security: scopes("inventory:read"),
      parameters: [
        {
          name: "q",
          in: "query",
          required: false,
          description: "Free-text search.",
          schema: { type: "string", maxLength: 200 },
        },
        {
          name: "sort",
          in: "query",
          required: false,
          description: `One of ${SORT_FIELDS.join(", ")}; prefix - for descending.`,
          schema: { type: "string" },
        },
        {
          name: "team",
          in: "query",
          required: false,
          description: "Comma-separated team ids.",
          schema: { type: "string" },
        },
        {
          name: "owner",
          in: "query",
          required: false,
          description: "A user id, or `none`.",
          schema: { type: "string" },
        },
        { name: "tag", in: "query", required: false, schema: { type: "string" } },
        ...filterParams,
        { name: "cursor", in: "query", required: false, schema: { type: "string" } },
        {
          name: "limit",
          in: "query",
          required: false,
          schema: { type: "integer", minimum: 1, maximum: 200, default: 50 },
        },
      ],
      responses: {
        "200": {
          description: "A page of APIs.",
          content: {
            "application/json": {
              schema: closedObject({
                data: { type: "array", items: apiSummary },
                nextCursor: { type: ["string", "null"] },
              }),
            },
          },
        },
        ...errors("400", "401", "403", "429"),
      },
    },
    post: {
      operationId: "createApi",
      tags: ["Inventory"],
      summary: "Register an API",
      security: scopes("inventory:write"),
      parameters: [idempotencyKey],
      requestBody: {
        required: true,
        content: { "application/json": { schema: { $ref: "#/components/schemas/ApiInput" } } },
      },
      responses: {
        "201": {
          description: "Registered.",
          headers: { Location: location },
          content: writeAnswer(),
        },
        ...errors("400", "401", "403", "413", "415", "422", "429"),
      },
    },
  },
  "/api/v1/apis/{id}": {
    parameters: [idParam],
    get: {
      operationId: "getApi",
      tags: ["Inventory"],
      summary: "Get an API",
      description: "The ETag is the record's version; send it back as If-Match when updating.",
      security: scopes("inventory:read"),
      responses: {
        "200": {
          description: "The API.",
          headers: { ETag: versionEtag },
          content: { "application/json": { schema: apiDetail } },
        },
        ...errors("401", "403", "404", "429"),
      },
    },
    put: {
      operationId: "updateApi",
      tags: ["Inventory"],
      summary: "Update an API",
      description:
        "Replaces the editable fields. Requires If-Match with the ETag from GET; a stale version is refused with 412.",
      security: scopes("inventory:write"),
      parameters: [{ name: "If-Match", in: "header", required: true, schema: { type: "string" } }, idempotencyKey],
      requestBody: {
        required: true,
        content: { "application/json": { schema: { $ref: "#/components/schemas/ApiInput" } } },
      },
      responses: {
        "200": {
          description: "Updated.",
          headers: { ETag: versionEtag },
          content: writeAnswer({ version: { type: "integer", description: "The new version (also the ETag)" } }),
        },
        ...errors("400", "401", "403", "404", "412", "413", "415", "422", "429"),
      },
    },
    delete: {
      operationId: "deleteApi",
      tags: ["Inventory"],
      summary: "Retire (soft-delete) an API",
      security: scopes("inventory:write"),
      parameters: [idempotencyKey],
      responses: {
        "204": { description: "Deleted; its history is kept." },
        ...errors("401", "403", "404", "422", "429"),
      },
    },
  },
  "/api/v1/apis/{id}/openapi": {
    parameters: [idParam],
    get: {
      operationId: "getApiDescriptionScan",
      tags: ["Posture scan"],
      summary: "The attached OpenAPI description's scan",
      description:
        "Every operation with its effective security, and the findings (JSON pointer, severity, rule) recomputed against the API's current record.",
      security: scopes("inventory:read"),
      responses: {
        "200": {
          description: "The scan.",
          content: { "application/json": { schema: { $ref: "#/components/schemas/ScanReport" } } },
        },
        ...errors("401", "403", "404", "429"),
      },
    },
    put: {
      operationId: "putApiDescription",
      tags: ["Posture scan"],
      summary: "Attach or replace the OpenAPI description",
      description:
        "The body is the description itself (OpenAPI 2.0, 3.0 or 3.1; JSON or YAML; at most 10 MB). Only references inside the document are followed; external or circular references are refused. Anonymous write operations make ISM-2013 (or ISM-1818) not met; anonymous reads do the same for ISM-2014 (or ISM-1817).",
      security: scopes("inventory:write"),
      parameters: [idempotencyKey],
      requestBody: {
        required: true,
        content: {
          "application/json": { schema: { type: "object" } },
          "application/yaml": { schema: { type: "string" } },
        },
      },
      responses: {
        "200": {
          description: "Stored and scanned.",
          content: { "application/json": { schema: { $ref: "#/components/schemas/ScanResult" } } },
        },
        ...errors("400", "401", "403", "404", "413", "415", "422", "429"),
      },
    },
    delete: {
      operationId: "deleteApiDescription",
      tags: ["Posture scan"],
      summary: "Detach the OpenAPI description",
      security: scopes("inventory:write"),
      parameters: [idempotencyKey],
      responses: { "204": { description: "Detached." }, ...errors("401", "403", "404", "422", "429") },
    },
  },
};
