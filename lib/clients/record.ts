// A client's grant, defined once: its fields, their kinds and labels (lib/records/fields.ts). The page's
// and REST's JSON (ClientView), the REST response schema (lib/rest/openapi/clients.ts) and the evidence
// bundle's clients table (lib/evidence/inventory-tables.ts) are derived from this list; record.test.ts
// checks that each field reaches each of them. Client-safe.
import {
  CLIENT_KINDS,
  CLIENT_LABELS,
  CREDENTIAL_TYPES,
  type ClientKind,
  type CredentialType,
} from "@/lib/clients/enums";
import type { TClientInput } from "@/lib/clients/schemas";
import { ZFlag, type Flag } from "@/lib/clients/flags";
import {
  dataColumns,
  dataRow,
  enumKind,
  recordJson,
  recordJsonSchema,
  type FieldSpec,
  type RecordJson,
} from "@/lib/records/fields";
import { jsonSchemaOfZod } from "@/lib/records/json-schema";

/** A client and its grant as every output reads it: scopes decoded, dates as dates. */
export type ClientRecord = {
  id: string;
  version: number;
  name: string;
  kind: ClientKind;
  credentialType: CredentialType;
  scopes: string[];
  canModify: boolean;
  approvedBy: string;
  approvedAt: Date | null;
  credentialIssuedAt: Date | null;
  credentialExpiresAt: Date | null;
  credentialRotatedAt: Date | null;
  lastSeenAt: Date | null;
  notes: string;
  createdAt: Date;
};

export const CLIENT_FIELDS = {
  id: { label: "id", kind: { type: "id" }, column: "clientId" },
  version: { label: "version; send it back as If-Match when updating", kind: { type: "integer" } },
  name: { label: "client name", kind: { type: "text" }, column: "client" },
  kind: { label: "kind of client", kind: enumKind(CLIENT_KINDS, CLIENT_LABELS.kind) },
  credentialType: { label: "credential", kind: enumKind(CREDENTIAL_TYPES, CLIENT_LABELS.credentialType) },
  scopes: { label: "scopes or roles granted", kind: { type: "tokens" } },
  canModify: { label: "may modify data", kind: { type: "flag" } },
  approvedBy: { label: "approved by", kind: { type: "text" } },
  approvedAt: { label: "approved on", kind: { type: "day" } },
  credentialIssuedAt: { label: "credential issued on", kind: { type: "day" } },
  credentialExpiresAt: { label: "credential expires on", kind: { type: "day" } },
  credentialRotatedAt: { label: "credential last rotated on", kind: { type: "day" } },
  // People record the day; the event feed records the moment, which the evidence keeps.
  lastSeenAt: { label: "last seen", kind: { type: "day", dataAsInstant: true } },
  notes: { label: "notes", kind: { type: "text" } },
  createdAt: { label: "recorded", kind: { type: "instant" }, column: "recordedAt" },
} as const satisfies Record<keyof ClientRecord, FieldSpec<ClientRecord>>;

export type ClientField = keyof typeof CLIENT_FIELDS;
export const CLIENT_FIELD_KEYS = Object.keys(CLIENT_FIELDS) as ClientField[];

/** The fields people edit: the form schema's, one for one (the typecheck keeps them in step). */
export const CLIENT_INPUT_FIELDS = [
  "name",
  "kind",
  "credentialType",
  "scopes",
  "canModify",
  "approvedBy",
  "approvedAt",
  "credentialIssuedAt",
  "credentialExpiresAt",
  "credentialRotatedAt",
  "lastSeenAt",
  "notes",
] as const satisfies readonly (keyof TClientInput & ClientField)[];
type MissingInput = Exclude<keyof TClientInput, (typeof CLIENT_INPUT_FIELDS)[number]>;
// A field added to ZClientInput and not here (or not in the record) fails this line.
const _everyInputField: [MissingInput] extends [never] ? true : MissingInput = true;
void _everyInputField;

/** The evidence bundle's columns: every field but the version (an edit counter, not a fact). */
const DATA_FIELDS = CLIENT_FIELD_KEYS.filter((f) => f !== "version");
export const CLIENT_DATA_COLUMNS = dataColumns(CLIENT_FIELDS, DATA_FIELDS);
export const clientDataRow = (r: ClientRecord) => dataRow(CLIENT_FIELDS, DATA_FIELDS, r);

/** A client as the pages and REST read it: every field as JSON, with its review flags. */
export type ClientView = RecordJson<ClientRecord, typeof CLIENT_FIELDS, ClientField> & { flags: Flag[] };
export const toClientView = (r: ClientRecord, flags: Flag[]): ClientView => ({
  ...recordJson(CLIENT_FIELDS, CLIENT_FIELD_KEYS, r),
  flags,
});

/** The editable fields of a client as the pages receive it: the form's starting values. */
export const toClientInput = (view: ClientView): TClientInput =>
  Object.fromEntries(CLIENT_INPUT_FIELDS.map((f) => [f, view[f]])) as TClientInput;

/** The JSON Schema of ClientView (REST responses). */
export const clientViewSchema = () => {
  const base = recordJsonSchema(CLIENT_FIELDS, CLIENT_FIELD_KEYS);
  return {
    ...base,
    required: [...base.required, "flags"],
    properties: {
      ...base.properties,
      flags: {
        type: "array",
        description: "What an access review should look at first (expired, not rotated, no approver …)",
        items: jsonSchemaOfZod(ZFlag),
      },
    },
  };
};
