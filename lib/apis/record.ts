// The API record's fields, defined once. Each field says what people call it (the CSV header), what
// kind of value it is, and how Backstage carries it. The outputs are derived from this list: the CSV
// download (app/api/apis/export/route.ts), the evidence bundle's inventory table
// (lib/evidence/inventory-tables.ts), the REST response schema (lib/rest/openapi/shared.ts) and the
// Backstage annotations (lib/backstage/entity.ts). Adding a field to the form schema (ZApiInput) without
// adding it here fails the typecheck; record.test.ts checks that each field reaches every output.
import {
  AUTH_METHODS,
  AUTHZ_MODELS,
  DATA_CATEGORIES,
  EXPOSURES,
  LABELS,
  LIFECYCLES,
  SENSITIVITIES,
  TRI_LABELS,
  triOf,
  type AuthMethod,
  type AuthzModel,
  type DataCategory,
  type Exposure,
  type Lifecycle,
  type Sensitivity,
} from "@/lib/apis/enums";
import type { Environment } from "@/lib/apis/codec";
import type { TApiInput } from "@/lib/apis/schemas";

/** An API as every output reads it: lists decoded, team and owner resolved. */
export type ApiRecord = {
  id: string;
  name: string;
  purpose: string;
  businessFunction: string;
  team: { id: string; name: string };
  owner: { id: string; name: string; email: string } | null;
  lifecycle: Lifecycle;
  environments: Environment[];
  exposure: Exposure;
  partnerLinkPrivate: boolean;
  readsNonPublic: boolean | null;
  modifiesData: boolean | null;
  sensitivity: Sensitivity;
  dataCategories: DataCategory[];
  authMethods: AuthMethod[];
  authzModel: AuthzModel | null;
  authzRoles: string[];
  centrallyLogged: boolean | null;
  loggingDestination: string;
  docsUrl: string;
  repoUrl: string;
  openapiUrl: string;
  tags: string[];
  createdAt: Date;
  updatedAt: Date;
};

type EnumLabels = Record<string, string>;
/** How a field's value is written in each output. */
export type FieldKind =
  | { type: "id" | "text" | "url" | "date" }
  | { type: "enum"; values: readonly string[]; labels: EnumLabels; nullable?: true }
  | { type: "enum-list"; values: readonly string[]; labels: EnumLabels }
  | { type: "tokens" }
  | { type: "tri" }
  | { type: "flag" }
  | { type: "team" }
  | { type: "person" }
  | { type: "environments" };

/**
 * How a Backstage entity carries the field: as one of Backstage's own fields (named), as an
 * `apiledger.io/<annotation>`, or not at all (with the reason).
 */
export type BackstageCarriage = { standard: string } | { annotation: string } | { omitted: string };

export type FieldSpec = {
  /** What people call it: the CSV header and the evidence column's description. */
  label: string;
  kind: FieldKind;
  backstage: BackstageCarriage;
  /** When the value means something (partner-link privacy only for partner APIs); blank otherwise in CSV. */
  relevant?: (r: ApiRecord) => boolean;
};

const enumKind = (values: readonly string[], labels: EnumLabels) => ({ type: "enum" as const, values, labels });
const listKind = (values: readonly string[], labels: EnumLabels) => ({ type: "enum-list" as const, values, labels });

/**
 * The fields in the order people read them. Keyed by ApiRecord; every editable field of ZApiInput has
 * its entry (teamId and ownerId as team and owner).
 */
export const API_FIELDS = {
  id: { label: "id", kind: { type: "id" }, backstage: { annotation: "id" } },
  name: { label: "name", kind: { type: "text" }, backstage: { standard: "metadata.title" } },
  purpose: { label: "purpose", kind: { type: "text" }, backstage: { standard: "metadata.description" } },
  businessFunction: {
    label: "business function",
    kind: { type: "text" },
    backstage: { annotation: "business-function" },
  },
  team: { label: "team", kind: { type: "team" }, backstage: { standard: "spec.owner" } },
  owner: { label: "owner", kind: { type: "person" }, backstage: { annotation: "owner-email" } },
  lifecycle: {
    label: "lifecycle",
    kind: enumKind(LIFECYCLES, LABELS.lifecycle),
    backstage: { standard: "spec.lifecycle" },
  },
  environments: {
    label: "environments",
    kind: { type: "environments" },
    backstage: { omitted: "Backstage keeps a deployment's addresses on its Resource and Component entities." },
  },
  exposure: { label: "exposure", kind: enumKind(EXPOSURES, LABELS.exposure), backstage: { annotation: "exposure" } },
  partnerLinkPrivate: {
    label: "partner link private",
    kind: { type: "flag" },
    backstage: { annotation: "partner-link-private" },
    relevant: (r) => r.exposure === "PARTNER",
  },
  sensitivity: {
    label: "sensitivity",
    kind: enumKind(SENSITIVITIES, LABELS.sensitivity),
    backstage: { annotation: "sensitivity" },
  },
  dataCategories: {
    label: "data categories",
    kind: listKind(DATA_CATEGORIES, LABELS.dataCategory),
    backstage: { annotation: "data-categories" },
  },
  modifiesData: { label: "modifies data", kind: { type: "tri" }, backstage: { annotation: "modifies-data" } },
  readsNonPublic: { label: "non-public data", kind: { type: "tri" }, backstage: { annotation: "reads-non-public" } },
  authMethods: {
    label: "authentication",
    kind: listKind(AUTH_METHODS, LABELS.authMethod),
    backstage: { annotation: "auth-methods" },
  },
  authzModel: {
    label: "authorisation",
    kind: { ...enumKind(AUTHZ_MODELS, LABELS.authzModel), nullable: true },
    backstage: { annotation: "authz-model" },
  },
  authzRoles: { label: "roles or scopes", kind: { type: "tokens" }, backstage: { annotation: "authz-roles" } },
  centrallyLogged: {
    label: "centrally logged",
    kind: { type: "tri" },
    backstage: { annotation: "centrally-logged" },
  },
  loggingDestination: {
    label: "log destination",
    kind: { type: "text" },
    backstage: { annotation: "logging-destination" },
  },
  docsUrl: { label: "documentation", kind: { type: "url" }, backstage: { annotation: "docs-url" } },
  repoUrl: { label: "repository", kind: { type: "url" }, backstage: { annotation: "repo-url" } },
  openapiUrl: {
    label: "OpenAPI description link",
    kind: { type: "url" },
    backstage: { annotation: "openapi-url" },
  },
  tags: { label: "tags", kind: { type: "tokens" }, backstage: { standard: "metadata.tags" } },
  createdAt: {
    label: "registered",
    kind: { type: "date" },
    backstage: { omitted: "Backstage records when its catalog first saw an entity." },
  },
  updatedAt: {
    label: "updated",
    kind: { type: "date" },
    backstage: { omitted: "Backstage records when its catalog last processed an entity." },
  },
} as const satisfies Record<keyof ApiRecord, FieldSpec>;

export type ApiField = keyof typeof API_FIELDS;
export const API_FIELD_KEYS = Object.keys(API_FIELDS) as ApiField[];

/** The fields a list of APIs carries (the inventory page and the REST list); one API carries them all. */
export const API_LIST_FIELDS = [
  "id",
  "name",
  "purpose",
  "team",
  "owner",
  "lifecycle",
  "exposure",
  "partnerLinkPrivate",
  "sensitivity",
  "dataCategories",
  "modifiesData",
  "readsNonPublic",
  "authMethods",
  "authzModel",
  "centrallyLogged",
  "tags",
  "updatedAt",
] as const satisfies readonly ApiField[];

/** The editable fields of the form schema, by the record field that holds each. */
export const INPUT_FIELD: Record<keyof TApiInput, ApiField> = {
  name: "name",
  purpose: "purpose",
  businessFunction: "businessFunction",
  teamId: "team",
  ownerId: "owner",
  lifecycle: "lifecycle",
  environments: "environments",
  exposure: "exposure",
  partnerLinkPrivate: "partnerLinkPrivate",
  readsNonPublic: "readsNonPublic",
  modifiesData: "modifiesData",
  sensitivity: "sensitivity",
  dataCategories: "dataCategories",
  authMethods: "authMethods",
  authzModel: "authzModel",
  authzRoles: "authzRoles",
  centrallyLogged: "centrallyLogged",
  loggingDestination: "loggingDestination",
  docsUrl: "docsUrl",
  repoUrl: "repoUrl",
  openapiUrl: "openapiUrl",
  tags: "tags",
};

const spec = (field: ApiField): FieldSpec => API_FIELDS[field];

/** The field's value for people (the CSV download): labels, "Yes / No / Not recorded", names. */
export function displayValue(field: ApiField, r: ApiRecord): string | string[] {
  const { kind, relevant } = spec(field);
  if (relevant && !relevant(r)) return "";
  const v = r[field];
  switch (kind.type) {
    case "enum":
      return v === null ? TRI_LABELS.unknown : kind.labels[v as string]!;
    case "enum-list":
      return (v as string[]).map((x) => kind.labels[x]!);
    case "tokens":
      return v as string[];
    case "tri":
      return TRI_LABELS[triOf(v as boolean | null)];
    case "flag":
      return String(v);
    case "team":
      return r.team.name;
    case "person":
      return r.owner?.name ?? "";
    case "environments":
      return r.environments.map((e) => `${e.name} ${e.baseUrl}`);
    case "date":
      return (v as Date).toISOString();
    default:
      return v as string;
  }
}

/** The field's value for machines (the evidence bundle's data files): codes, true / false / null, e-mails. */
export function dataValue(field: ApiField, r: ApiRecord): string | boolean | null {
  const { kind } = spec(field);
  const v = r[field];
  switch (kind.type) {
    case "enum-list":
    case "tokens":
      return (v as string[]).join(" ");
    case "team":
      return r.team.name;
    case "person":
      return r.owner?.email ?? null;
    case "environments":
      return JSON.stringify(r.environments);
    case "date":
      return (v as Date).toISOString();
    default:
      return v as string | boolean | null;
  }
}

/** The JSON Schema of the field's value in REST responses. */
export function jsonSchemaOf(field: ApiField): Record<string, unknown> {
  const { kind, label } = spec(field);
  const described = (s: Record<string, unknown>) => ({ ...s, description: label });
  switch (kind.type) {
    case "enum":
      return described(
        kind.nullable
          ? { type: ["string", "null"], enum: [...kind.values, null] }
          : { type: "string", enum: kind.values },
      );
    case "enum-list":
      return described({ type: "array", items: { type: "string", enum: kind.values } });
    case "tokens":
      return described({ type: "array", items: { type: "string" } });
    case "tri":
      return described({ type: ["boolean", "null"] });
    case "flag":
      return described({ type: "boolean" });
    case "team":
      return described({
        type: "object",
        required: ["id", "name"],
        properties: { id: { type: "string" }, name: { type: "string" } },
      });
    case "person":
      return described({
        type: ["object", "null"],
        required: ["id", "name"],
        properties: { id: { type: "string" }, name: { type: "string" } },
      });
    case "environments":
      return described({
        type: "array",
        items: {
          type: "object",
          required: ["name", "baseUrl"],
          properties: { name: { type: "string" }, baseUrl: { type: "string", format: "uri" } },
        },
      });
    case "date":
      return described({ type: "string", format: "date-time" });
    case "url":
      return described({ type: "string", description: `${label} (an http(s) address, or empty)` });
    default:
      return described({ type: "string" });
  }
}

/** The annotation a field travels under in a Backstage entity, when it is one. */
export const annotationOf = (field: ApiField): string | null => {
  const carriage = spec(field).backstage;
  return "annotation" in carriage ? carriage.annotation : null;
};
