import { z } from "zod";
import { API_FIELD_KEYS, API_LIST_FIELDS, jsonSchemaOf, type ApiField } from "@/lib/apis/record";
// Building blocks shared by the OpenAPI description's path groups (lib/rest/openapi/<tag>.ts).

export const schema = (s: z.ZodType) => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(s, {
    io: "input",
    unrepresentable: "any",
    target: "draft-2020-12",
  }) as Record<string, unknown>;
  return rest;
};

export const PROBLEM_CODES = {
  validation: "A field, parameter or body is not valid; `errors` lists each one.",
  unauthenticated: "No valid token or session.",
  forbidden: "The token's scopes or the account's role do not allow this, on this object.",
  "not-found": "The object does not exist (or was deleted).",
  conflict: "The change conflicts with the current state.",
  "precondition-failed": "If-Match is missing or stale: read the object again and re-apply the change.",
  "rate-limited": "Too many requests for this token; see Retry-After.",
  "payload-too-large": "The body is over the route's size limit.",
  "unsupported-media-type": "The body is not JSON.",
  "idempotency-key-reused": "The Idempotency-Key was used before with a different request.",
  internal: "A server error; nothing was changed.",
} as const;

export const problemRef = { $ref: "#/components/responses/Problem" };
/** The error responses an operation can give; 429 and 503 say when to try again (Retry-After). */
export const errors = (...codes: string[]) =>
  Object.fromEntries(
    codes.map((c) => [
      c,
      c === "429"
        ? { $ref: "#/components/responses/RateLimited" }
        : c === "503"
          ? { $ref: "#/components/responses/Unavailable" }
          : problemRef,
    ]),
  );
export const scopes = (...s: string[]) => [{ bearerToken: s }, { session: [] }];
export const idempotencyKey = {
  name: "Idempotency-Key",
  in: "header",
  required: false,
  description:
    "Any unique string (1–255 visible ASCII). A retry with the same key and body returns the first response (header Idempotent-Replayed: true) instead of doing the write again.",
  schema: { type: "string", maxLength: 255 },
};
export const idParam = { name: "id", in: "path", required: true, schema: { type: "string", maxLength: 64 } };

export const controlStatus = { type: "string", enum: ["NOT_APPLICABLE", "MET", "NOT_MET", "CANNOT_JUDGE"] };
const properties = (fields: readonly ApiField[]) => Object.fromEntries(fields.map((f) => [f, jsonSchemaOf(f)]));
const computed = {
  hasWarning: { type: "boolean", description: "Whether any control's evaluation carries a warning" },
  controls: { type: "object", additionalProperties: controlStatus, description: "ISM control id → status" },
  overall: { ...controlStatus, description: "The worst of the control statuses" },
};

/** An API in a list: the record's list fields (lib/apis/record.ts) and its control statuses. */
export const apiSummary = {
  type: "object",
  required: [...API_LIST_FIELDS, ...Object.keys(computed)],
  properties: { ...properties(API_LIST_FIELDS), ...computed },
};

/** One API: every field of the record, its control statuses, and who registered and last changed it. */
export const apiDetail = {
  type: "object",
  required: [...API_FIELD_KEYS, ...Object.keys(computed), "version", "teamId", "ownerId", "spec"],
  properties: {
    ...properties(API_FIELD_KEYS),
    ...computed,
    teamId: { type: "string" },
    ownerId: { type: ["string", "null"] },
    version: { type: "integer", description: "Send it back as If-Match when updating" },
    createdBy: { type: "string" },
    updatedBy: { type: "string" },
    spec: {
      type: ["object", "null"],
      description:
        "Operations of the attached OpenAPI description that need no authentication (null when none is attached)",
      properties: { anonWrites: { type: "integer" }, anonReads: { type: "integer" } },
    },
  },
};
