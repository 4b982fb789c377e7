import { describe, expect, it } from "vitest";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import {
  CLIENT_DATA_COLUMNS,
  CLIENT_FIELDS,
  CLIENT_FIELD_KEYS,
  CLIENT_INPUT_FIELDS,
  clientDataRow,
  clientViewSchema,
  toClientInput,
  toClientView,
  type ClientRecord,
} from "@/lib/clients/record";
import { ZClientInput } from "@/lib/clients/schemas";

// The field-once test for clients: the record is defined in lib/clients/record.ts and the pages' and
// REST's JSON, its schema in the REST description and the evidence bundle's clients table are derived
// from it. A field added to the form schema and not to the record fails the typecheck; one added to
// the record reaches each output, which this test checks.

/** Every field set to something other than its empty value, so a dropped field cannot pass unseen. */
const full: ClientRecord = {
  id: "client-1",
  version: 3,
  name: "settlement-bot",
  kind: "SERVICE_ACCOUNT",
  credentialType: "OAUTH_CLIENT",
  scopes: ["ledger:read", "ledger:write"],
  canModify: true,
  approvedBy: "Payments manager",
  approvedAt: new Date("2026-10-01T00:00:00Z"),
  credentialIssuedAt: new Date("2026-10-02T00:00:00Z"),
  credentialExpiresAt: new Date("2027-10-02T00:00:00Z"),
  credentialRotatedAt: new Date("2026-11-02T00:00:00Z"),
  lastSeenAt: new Date("2026-11-30T13:45:10Z"),
  notes: "Runs nightly.",
  createdAt: new Date("2026-10-01T09:00:00Z"),
};
const flags = [{ kind: "NOT_SEEN" as const, message: "Not seen for 91 days." }];

describe("the client record, defined once", () => {
  it("names every field of the form schema, and the form accepts what the pages receive", () => {
    expect([...CLIENT_INPUT_FIELDS].sort()).toEqual(Object.keys(ZClientInput.shape).sort());
    const input = toClientInput(toClientView(full, flags));
    expect(ZClientInput.safeParse(input).success).toBe(true);
    expect(input).toMatchObject({ approvedAt: "2026-10-01", lastSeenAt: "2026-11-30", scopes: full.scopes });
  });

  it("the JSON carries every field and matches the schema the REST description publishes for it", () => {
    const view = toClientView(full, flags);
    for (const field of CLIENT_FIELD_KEYS) expect(view, field).toHaveProperty(field);
    const ajv = new Ajv2020({ strict: true, allErrors: true });
    addFormats(ajv);
    const schema = clientViewSchema();
    const check = ajv.compile({ ...schema, additionalProperties: false });
    expect(check(view), ajv.errorsText(check.errors)).toBe(true);
    expect(check(toClientView({ ...full, approvedAt: null, lastSeenAt: null }, [])), ajv.errorsText(check.errors)).toBe(
      true,
    );
    // A value of the wrong shape is refused: the schema says something.
    expect(check({ ...view, approvedAt: "1 October" })).toBe(false);
    expect(check({ ...view, kind: "ROBOT" })).toBe(false);
  });

  it("every field but the edit counter has its own evidence column, with a value for machines", () => {
    expect(CLIENT_DATA_COLUMNS).toHaveLength(CLIENT_FIELD_KEYS.length - 1);
    expect(new Set(CLIENT_DATA_COLUMNS).size).toBe(CLIENT_DATA_COLUMNS.length);
    const row = clientDataRow(full);
    expect(Object.keys(row)).toEqual(CLIENT_DATA_COLUMNS);
    for (const [column, value] of Object.entries(row)) expect(value, column).not.toBeNull();
    expect(row).toMatchObject({
      clientId: "client-1",
      client: "settlement-bot",
      scopes: "ledger:read ledger:write",
      approvedAt: "2026-10-01",
      // The event feed's moment, not only the day people edit.
      lastSeenAt: "2026-11-30T13:45:10.000Z",
      recordedAt: "2026-10-01T09:00:00.000Z",
    });
    const labels = CLIENT_FIELD_KEYS.map((f) => CLIENT_FIELDS[f].label);
    expect(new Set(labels).size).toBe(labels.length);
  });
});
