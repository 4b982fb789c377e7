import type { z } from "zod";
import { API_FIELD_KEYS, API_LIST_FIELDS, jsonSchemaOf, type ApiField } from "@/lib/apis/record";
import { CONTROL_IDS } from "@/lib/ism/controls";
import { closedObject, jsonSchemaOfZod } from "@/lib/records/json-schema";
// Building blocks shared by the OpenAPI description's path groups (lib/rest/openapi/<tag>.ts).

/** A request body's schema: what the zod schema the server validates with accepts. */
export const schema = (s: z.ZodType) => jsonSchemaOfZod(s, "input");
/** A response's schema: what the zod view the route answers with gives (closed). */
export const view = (s: z.ZodType) => jsonSchemaOfZod(s, "output");

/** A write's answer that names what it wrote: `{ "id": … }` (with more fields if given). */
export const writeAnswer = (more: Record<string, unknown> = {}) =>
  ({ "application/json": { schema: closedObject({ id: { type: "string" }, ...more }) } }) as const;

export const PROBLEM_CODES = {
  validation: "A field, parameter or body is not valid; `errors` lists each one.",
  unauthenticated: "No valid token or session.",
  forbidden: "The token's scopes or the account's role do not allow this, on this object.",
  "not-found": "The object does not exist (or was deleted).",
  conflict: "The change conflicts with the current state.",
  "precondition-failed": "If-Match is missing or stale: read the object again and re-apply the change.",
  "rate-limited": "Too many requests for this token; see Retry-After.",
  "payload-too-large": "The body is over the route's size limit.",
  "request-timeout": "The body did not arrive within the server's deadline (APILEDGER_BODY_TIMEOUT_SECONDS).",
  "unsupported-media-type": "The body is not JSON.",
  "idempotency-key-reused": "The Idempotency-Key was used before with a different request.",
  internal: "A server error; nothing was changed.",
  "service-unavailable": "The database is unreachable or busy for now; see Retry-After. Nothing was changed.",
  "storage-full": "The server has no room to keep the change; nothing was changed.",
} as const;

export const problemRef = { $ref: "#/components/responses/Problem" };
const SPECIAL_RESPONSES: Record<string, { $ref: string }> = {
  "401": { $ref: "#/components/responses/Unauthenticated" },
  "429": { $ref: "#/components/responses/RateLimited" },
  "503": { $ref: "#/components/responses/Unavailable" },
  "507": { $ref: "#/components/responses/StorageFull" },
};
/**
 * The error responses an operation can give; 401 carries the Bearer challenge (WWW-Authenticate), 429
 * and 503 say when to try again (Retry-After). An operation that reads a body (413) also has the body
 * deadline (408, APILEDGER_BODY_TIMEOUT_SECONDS), which every REST route applies.
 */
export const errors = (...codes: string[]) =>
  Object.fromEntries(
    [...codes, ...(codes.includes("413") ? ["408"] : [])].sort().map((c) => [c, SPECIAL_RESPONSES[c] ?? problemRef]),
  );
/** A response header the server always sends with that response. */
export const sentHeader = (schema: Record<string, unknown>, description?: string) => ({
  required: true,
  ...(description ? { description } : {}),
  schema,
});
/** The ETag of a record: its version, quoted. */
export const versionEtag = sentHeader(
  { type: "string", pattern: '^"\\d+"$' },
  "The record's version; send it back as If-Match.",
);
export const location = sentHeader({ type: "string", pattern: "^/api/v1/" }, "Where the new resource is.");
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
  controls: {
    ...closedObject(Object.fromEntries(CONTROL_IDS.map((id) => [id, controlStatus]))),
    description: "ISM control id → status",
  },
  overall: { ...controlStatus, description: "The worst of the control statuses" },
};
const count = (description: string) => ({ type: "integer", minimum: 0, description });

/** An API in a list: the record's list fields (lib/apis/record.ts) and its control statuses. */
export const apiSummary = closedObject({ ...properties(API_LIST_FIELDS), ...computed });

/**
 * One API: every field of the record, its control statuses, who registered and last changed it, and
 * the anonymous operations of its attached description (lib/apis/queries.ts getApi).
 */
export const apiDetail = closedObject({
  ...properties(API_FIELD_KEYS),
  ...computed,
  teamId: { type: "string" },
  ownerId: { type: ["string", "null"] },
  version: { type: "integer", description: "Send it back as If-Match when updating" },
  createdBy: { type: "string", description: "Who registered it: a name, or system" },
  updatedBy: { type: "string", description: "Who last changed it: a name, or system" },
  spec: {
    ...closedObject({
      anonWrites: count("Write operations anyone can call, not covered by an approved triage"),
      anonReads: count("Read operations anyone can call, not covered by an approved triage"),
      acceptedWrites: count("Anonymous write operations an approved, unexpired triage accepts"),
      acceptedReads: count("Anonymous read operations an approved, unexpired triage accepts"),
    }),
    type: ["object", "null"],
    description:
      "The attached OpenAPI description's operations that need no authentication (null when none is attached)",
  },
});
