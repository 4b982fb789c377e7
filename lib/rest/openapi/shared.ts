import { z } from "zod";
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
export const errors = (...codes: string[]) => Object.fromEntries(codes.map((c) => [c, problemRef]));
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
export const apiSummary = {
  type: "object",
  required: ["id", "name", "purpose", "lifecycle", "exposure", "sensitivity", "team", "controls", "updatedAt"],
  properties: {
    id: { type: "string" },
    name: { type: "string" },
    purpose: { type: "string" },
    lifecycle: { type: "string" },
    exposure: { type: "string" },
    partnerLinkPrivate: { type: "boolean" },
    sensitivity: { type: "string" },
    authMethods: { type: "array", items: { type: "string" } },
    authzModel: { type: ["string", "null"] },
    modifiesData: { type: ["boolean", "null"] },
    readsNonPublic: { type: ["boolean", "null"] },
    centrallyLogged: { type: ["boolean", "null"] },
    dataCategories: { type: "array", items: { type: "string" } },
    tags: { type: "array", items: { type: "string" } },
    hasWarning: { type: "boolean" },
    updatedAt: { type: "string", format: "date-time" },
    team: { type: "object", properties: { id: { type: "string" }, name: { type: "string" } } },
    owner: { type: ["object", "null"], properties: { id: { type: "string" }, name: { type: "string" } } },
    controls: { type: "object", additionalProperties: controlStatus, description: "ISM control id → status" },
    overall: { type: "string" },
  },
};
