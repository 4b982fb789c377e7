import { describe, expect, it } from "vitest";
import {
  API_FIELD_KEYS,
  API_FIELDS,
  API_LIST_FIELDS,
  INPUT_FIELD,
  dataValue,
  displayValue,
  type ApiRecord,
} from "@/lib/apis/record";
import { ZApiInput, type TApiInput } from "@/lib/apis/schemas";
import { fromEntity, toEntity, ANNOTATION } from "@/lib/backstage/entity";
import { apiDetail, apiSummary } from "@/lib/rest/openapi/shared";

// The field-once test: the API record is defined in lib/apis/record.ts, and each output is derived from
// it. A field added to the form schema must be added there (the typecheck says so), and from there it
// must reach every output: the CSV download, the evidence inventory, the REST schemas and Backstage.

const team = { id: "team-1", name: "Payments" };
const owner = { id: "user-1", name: "Olivia Owner", email: "owner@example.com" };
/** Every field set to something other than its empty value, so a dropped field cannot pass unseen. */
const full: ApiRecord = {
  id: "api-1",
  name: "Settlement API",
  purpose: "Settles payments.",
  businessFunction: "Payments settlement",
  team,
  owner,
  lifecycle: "ACTIVE",
  environments: [{ name: "prod", baseUrl: "https://settle.example.gov.au" }],
  exposure: "PARTNER",
  partnerLinkPrivate: true,
  readsNonPublic: true,
  modifiesData: false,
  sensitivity: "PROTECTED",
  dataCategories: ["FINANCIAL", "PERSONAL"],
  authMethods: ["MTLS", "OIDC_JWT"],
  authzModel: "SCOPES",
  authzRoles: ["settle.read", "settle.write"],
  centrallyLogged: true,
  loggingDestination: "Central SIEM",
  docsUrl: "https://docs.example.gov.au/settle",
  repoUrl: "https://git.example.gov.au/settle",
  openapiUrl: "https://settle.example.gov.au/openapi.json",
  tags: ["payments", "settlement"],
  createdAt: new Date("2026-01-02T03:04:05Z"),
  updatedAt: new Date("2026-02-03T04:05:06Z"),
};

/** The form input the record corresponds to. */
const inputOf = (r: ApiRecord): TApiInput => ({
  name: r.name,
  purpose: r.purpose,
  businessFunction: r.businessFunction,
  teamId: r.team.id,
  ownerId: r.owner?.id ?? "",
  lifecycle: r.lifecycle,
  environments: r.environments,
  exposure: r.exposure,
  partnerLinkPrivate: r.partnerLinkPrivate,
  readsNonPublic: r.readsNonPublic === null ? "unknown" : r.readsNonPublic ? "yes" : "no",
  modifiesData: r.modifiesData === null ? "unknown" : r.modifiesData ? "yes" : "no",
  sensitivity: r.sensitivity,
  dataCategories: r.dataCategories,
  authMethods: r.authMethods,
  authzModel: r.authzModel ?? "UNKNOWN",
  authzRoles: r.authzRoles,
  centrallyLogged: r.centrallyLogged === null ? "unknown" : r.centrallyLogged ? "yes" : "no",
  loggingDestination: r.loggingDestination,
  docsUrl: r.docsUrl,
  repoUrl: r.repoUrl,
  openapiUrl: r.openapiUrl,
  tags: r.tags,
});

describe("the API record, defined once", () => {
  it("names every field of the form schema, and the form schema accepts the full record", () => {
    expect(Object.keys(INPUT_FIELD).sort()).toEqual(Object.keys(ZApiInput.shape).sort());
    for (const field of Object.values(INPUT_FIELD)) expect(API_FIELD_KEYS).toContain(field);
    expect(ZApiInput.safeParse(inputOf(full)).success).toBe(true);
  });

  it("every field has its own CSV column with a value for people, and its own evidence column with a value for machines", () => {
    const labels = API_FIELD_KEYS.map((f) => API_FIELDS[f].label);
    expect(new Set(labels).size).toBe(labels.length);
    for (const field of API_FIELD_KEYS) {
      const shown = displayValue(field, full);
      expect(Array.isArray(shown) ? shown.length : shown, field).toBeTruthy();
      expect(dataValue(field, full), field).not.toBeUndefined();
    }
    expect(displayValue("authMethods", full)).toEqual(["Mutual TLS", "OIDC / JWT bearer"]);
    expect(displayValue("readsNonPublic", { ...full, readsNonPublic: null })).toBe("Not recorded");
    expect(displayValue("partnerLinkPrivate", { ...full, exposure: "INTERNAL" })).toBe("");
    expect(dataValue("owner", full)).toBe("owner@example.com");
    expect(dataValue("dataCategories", full)).toBe("FINANCIAL PERSONAL");
  });

  it("the REST schemas describe every field: all of them for one API, the list's for a list", () => {
    expect(Object.keys(apiDetail.properties)).toEqual(expect.arrayContaining(API_FIELD_KEYS));
    expect(apiDetail.required).toEqual(expect.arrayContaining(API_FIELD_KEYS));
    expect(Object.keys(apiSummary.properties)).toEqual(expect.arrayContaining([...API_LIST_FIELDS]));
  });

  it("Backstage carries every field it can, and an export imports back to the same record", () => {
    const entity = toEntity(full, null) as {
      metadata: { annotations: Record<string, string>; title: string; description: string; tags: string[] };
      spec: { owner: string; lifecycle: string };
    };
    for (const field of API_FIELD_KEYS) {
      const carriage = API_FIELDS[field].backstage;
      if ("annotation" in carriage)
        expect(entity.metadata.annotations, field).toHaveProperty([`${ANNOTATION}/${carriage.annotation}`]);
      else if ("omitted" in carriage) expect(carriage.omitted.length, field).toBeGreaterThan(20);
    }
    const mapped = fromEntity(entity, [team], [owner], () => null);
    expect(mapped).not.toHaveProperty("errors");
    const { input } = mapped as { input: TApiInput };
    const omitted = Object.entries(INPUT_FIELD)
      .filter(([, field]) => "omitted" in API_FIELDS[field].backstage)
      .map(([key]) => key);
    const expected = inputOf(full);
    for (const key of Object.keys(INPUT_FIELD) as (keyof TApiInput)[])
      if (!omitted.includes(key)) expect(input[key], key).toEqual(expected[key]);
    // An omitted field keeps what the inventory has.
    expect(omitted).toEqual(["environments"]);
  });

  it("Backstage annotations that do not fit their field are refused with the annotation's name", () => {
    const entity = toEntity(full, null) as { metadata: { annotations: Record<string, string> } };
    const broken = structuredClone(entity);
    broken.metadata.annotations[`${ANNOTATION}/data-categories`] = "FINANCIAL,GOSSIP";
    broken.metadata.annotations[`${ANNOTATION}/centrally-logged`] = "maybe";
    const mapped = fromEntity(broken, [team], [owner], () => null) as { errors: string[] };
    expect(mapped.errors).toEqual([
      `${ANNOTATION}/data-categories: unknown value GOSSIP.`,
      `${ANNOTATION}/centrally-logged “maybe” is not one of yes, no, unknown.`,
    ]);
  });
});
