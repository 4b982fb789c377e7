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
  type AuthMethod,
  type AuthzModel,
  type DataCategory,
  type Exposure,
  type Lifecycle,
  type Sensitivity,
} from "@/lib/apis/enums";
import type { Environment } from "@/lib/apis/codec";
import {
  dataOf,
  displayRow,
  enumKind,
  listKind,
  jsonSchemaOfKind,
  type Cell,
  type FieldSpec as RecordField,
} from "@/lib/records/fields";
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

/**
 * How a Backstage entity carries the field: as one of Backstage's own fields (named), as an
 * `apiledger.io/<annotation>`, or not at all (with the reason).
 */
export type BackstageCarriage = { standard: string } | { annotation: string } | { omitted: string };

/** A field of the API record: its kind and label (lib/records/fields.ts) and how Backstage carries it. */
export type FieldSpec = RecordField<ApiRecord> & { backstage: BackstageCarriage };

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
  // As an annotation, exactly: Backstage's metadata.tags allow fewer characters (entity.ts writes both).
  tags: { label: "tags", kind: { type: "tokens" }, backstage: { annotation: "tags" } },
  createdAt: {
    label: "registered",
    kind: { type: "instant" },
    backstage: { omitted: "Backstage records when its catalog first saw an entity." },
  },
  updatedAt: {
    label: "updated",
    kind: { type: "instant" },
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
export const displayValue = (field: ApiField, r: ApiRecord): string | string[] =>
  displayRow(API_FIELDS, [field], r)[0]!;

/** The field's value for machines (the evidence bundle's data files): codes, true / false / null, e-mails. */
export const dataValue = (field: ApiField, r: ApiRecord): Cell => dataOf(spec(field).kind, r[field]);

/** The JSON Schema of the field's value in REST responses. */
export const jsonSchemaOf = (field: ApiField): Record<string, unknown> =>
  jsonSchemaOfKind(spec(field).kind, spec(field).label);

/** The annotation a field travels under in a Backstage entity, when it is one. */
export const annotationOf = (field: ApiField): string | null => {
  const carriage = spec(field).backstage;
  return "annotation" in carriage ? carriage.annotation : null;
};
