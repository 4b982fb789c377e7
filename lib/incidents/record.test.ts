import { describe, expect, it } from "vitest";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import {
  INCIDENT_DATA_COLUMNS,
  INCIDENT_FIELD_KEYS,
  INCIDENT_INPUT_FIELD,
  INCIDENT_LIST_FIELDS,
  incidentDataRow,
  incidentListSchema,
  incidentRecordSchema,
  toIncidentInput,
  toIncidentListView,
  toIncidentView,
  type IncidentRecord,
} from "@/lib/incidents/record";
import { ZIncidentInput } from "@/lib/incidents/schemas";

// The field-once test for incidents (see lib/clients/record.test.ts for the pattern).

const full: IncidentRecord = {
  id: "inc-1",
  version: 4,
  title: "Token replay from an unknown host",
  type: "CREDENTIAL_COMPROMISE",
  severity: "HIGH",
  status: "CLOSED",
  apis: [
    { id: "api-1", name: "Payments Ledger API" },
    { id: "api-2", name: "Settlement API" },
  ],
  affectedClients: "settlement-bot",
  detectedAt: new Date("2026-11-20T08:00:00Z"),
  reportedAt: new Date("2026-11-20T08:30:00Z"),
  reportedBy: "Gateway alert",
  handler: { id: "user-1", name: "Harriet Handler", email: "handler@example.gov.au" },
  containedAt: new Date("2026-11-20T10:00:00Z"),
  resolvedAt: new Date("2026-11-21T10:00:00Z"),
  closedAt: new Date("2026-11-22T10:00:00Z"),
  description: "A revoked token was replayed.",
  rootCause: "Token not bound to the client certificate.",
  lessonsLearned: "Bind tokens to certificates.",
  createdAt: new Date("2026-11-20T08:31:00Z"),
  updatedAt: new Date("2026-11-22T10:00:00Z"),
};

const validator = (schema: object) => {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv);
  const check = ajv.compile({ ...schema, additionalProperties: false });
  return (value: unknown) => {
    const ok = check(value);
    return ok || ajv.errorsText(check.errors);
  };
};

describe("the incident record, defined once", () => {
  it("names every field of the form schema, and the form accepts what the edit page receives", () => {
    expect(Object.keys(INCIDENT_INPUT_FIELD).sort()).toEqual(Object.keys(ZIncidentInput.shape).sort());
    const input = toIncidentInput(toIncidentView(full));
    expect(ZIncidentInput.safeParse(input).success).toBe(true);
    expect(input).toMatchObject({ detectedAt: "2026-11-20T08:00", apiIds: ["api-1", "api-2"] });
  });

  it("one incident and a list of them match the schemas the REST description publishes", () => {
    const view = toIncidentView(full);
    for (const field of INCIDENT_FIELD_KEYS) expect(view, field).toHaveProperty(field);
    expect(validator(incidentRecordSchema())(view)).toBe(true);
    const open = {
      ...full,
      status: "REPORTED" as const,
      handler: null,
      containedAt: null,
      resolvedAt: null,
      closedAt: null,
    };
    expect(validator(incidentRecordSchema())(toIncidentView(open))).toBe(true);
    expect(view.handler).toEqual({ id: "user-1", name: "Harriet Handler" });
    const listed = toIncidentListView(full);
    expect(Object.keys(listed)).toEqual([...INCIDENT_LIST_FIELDS]);
    expect(validator(incidentListSchema())(listed)).toBe(true);
    expect(validator(incidentRecordSchema())({ ...view, severity: "APOCALYPTIC" })).not.toBe(true);
  });

  it("every field but the edit counter has its own evidence column, with a value for machines", () => {
    expect(INCIDENT_DATA_COLUMNS).toHaveLength(INCIDENT_FIELD_KEYS.length - 1);
    const row = incidentDataRow(full);
    expect(Object.keys(row)).toEqual(INCIDENT_DATA_COLUMNS);
    for (const [column, value] of Object.entries(row)) expect(value, column).not.toBeNull();
    expect(row).toMatchObject({
      incidentId: "inc-1",
      apiIds: "api-1 api-2",
      handler: "handler@example.gov.au",
      detectedAt: "2026-11-20T08:00:00.000Z",
      closedAt: "2026-11-22T10:00:00.000Z",
    });
  });
});
