// An incident, defined once: its fields, their kinds and labels (lib/records/fields.ts). The pages' and
// REST's JSON (IncidentView, IncidentListView), the REST response schemas (lib/rest/openapi/document.ts)
// and the evidence bundle's incidents table (lib/evidence/review-tables.ts) are derived from this list;
// record.test.ts checks that each field reaches each of them. Client-safe.
import {
  INCIDENT_LABELS,
  INCIDENT_STATUSES,
  INCIDENT_TYPES,
  SEVERITIES,
  type IncidentStatus,
  type IncidentType,
  type Severity,
  type TIncidentInput,
} from "@/lib/incidents/schemas";
import {
  dataColumns,
  dataRow,
  enumKind,
  recordJson,
  recordJsonSchema,
  type FieldSpec,
  type PersonRef,
  type RecordJson,
  type Ref,
} from "@/lib/records/fields";

export type IncidentRecord = {
  id: string;
  version: number;
  title: string;
  type: IncidentType;
  severity: Severity;
  status: IncidentStatus;
  apis: Ref[];
  affectedClients: string;
  detectedAt: Date;
  reportedAt: Date;
  reportedBy: string;
  handler: PersonRef | null;
  containedAt: Date | null;
  resolvedAt: Date | null;
  closedAt: Date | null;
  description: string;
  rootCause: string;
  lessonsLearned: string;
  createdAt: Date;
  updatedAt: Date;
};

export const INCIDENT_FIELDS = {
  id: { label: "id", kind: { type: "id" }, column: "incidentId" },
  version: { label: "version; send it back as If-Match when updating", kind: { type: "integer" } },
  title: { label: "title", kind: { type: "text" } },
  type: { label: "type", kind: enumKind(INCIDENT_TYPES, INCIDENT_LABELS.type) },
  severity: { label: "severity", kind: enumKind(SEVERITIES, INCIDENT_LABELS.severity) },
  status: { label: "status", kind: enumKind(INCIDENT_STATUSES, INCIDENT_LABELS.status) },
  apis: { label: "affected APIs", kind: { type: "refs" }, column: "apiIds" },
  affectedClients: { label: "affected clients", kind: { type: "text" } },
  detectedAt: { label: "detected", kind: { type: "instant" } },
  reportedAt: { label: "reported", kind: { type: "instant" } },
  reportedBy: { label: "reported by", kind: { type: "text" } },
  handler: { label: "handler", kind: { type: "person" } },
  containedAt: { label: "contained", kind: { type: "instant", nullable: true } },
  resolvedAt: { label: "resolved", kind: { type: "instant", nullable: true } },
  closedAt: { label: "closed", kind: { type: "instant", nullable: true } },
  description: { label: "what happened", kind: { type: "text" } },
  rootCause: { label: "root cause", kind: { type: "text" } },
  lessonsLearned: { label: "lessons learned", kind: { type: "text" } },
  createdAt: { label: "recorded", kind: { type: "instant" }, column: "recordedAt" },
  updatedAt: { label: "last changed", kind: { type: "instant" } },
} as const satisfies Record<keyof IncidentRecord, FieldSpec<IncidentRecord>>;

export type IncidentField = keyof typeof INCIDENT_FIELDS;
export const INCIDENT_FIELD_KEYS = Object.keys(INCIDENT_FIELDS) as IncidentField[];

/** The record field each field of the form schema edits (the typecheck keeps them in step). */
export const INCIDENT_INPUT_FIELD = {
  title: "title",
  type: "type",
  severity: "severity",
  detectedAt: "detectedAt",
  reportedAt: "reportedAt",
  reportedBy: "reportedBy",
  description: "description",
  apiIds: "apis",
  affectedClients: "affectedClients",
  rootCause: "rootCause",
  lessonsLearned: "lessonsLearned",
} as const satisfies Record<keyof TIncidentInput, IncidentField>;

/** The fields a list of incidents carries (the register and the REST list). */
export const INCIDENT_LIST_FIELDS = [
  "id",
  "title",
  "type",
  "severity",
  "status",
  "detectedAt",
  "reportedAt",
  "apis",
] as const satisfies readonly IncidentField[];

/** The evidence bundle's columns: every field but the version (an edit counter, not a fact). */
const DATA_FIELDS = INCIDENT_FIELD_KEYS.filter((f) => f !== "version");
export const INCIDENT_DATA_COLUMNS = dataColumns(INCIDENT_FIELDS, DATA_FIELDS);
export const incidentDataRow = (r: IncidentRecord) => dataRow(INCIDENT_FIELDS, DATA_FIELDS, r);

export type IncidentListView = RecordJson<
  IncidentRecord,
  typeof INCIDENT_FIELDS,
  (typeof INCIDENT_LIST_FIELDS)[number]
>;
export const toIncidentListView = (r: IncidentRecord): IncidentListView =>
  recordJson(INCIDENT_FIELDS, INCIDENT_LIST_FIELDS, r);

export type IncidentRecordView = RecordJson<IncidentRecord, typeof INCIDENT_FIELDS, IncidentField>;
export const toIncidentView = (r: IncidentRecord): IncidentRecordView =>
  recordJson(INCIDENT_FIELDS, INCIDENT_FIELD_KEYS, r);

/** The form's starting values for an incident as the pages receive it. */
export const toIncidentInput = (v: IncidentRecordView): TIncidentInput => ({
  ...(Object.fromEntries(
    (Object.keys(INCIDENT_INPUT_FIELD) as (keyof TIncidentInput)[]).map((k) => [k, v[INCIDENT_INPUT_FIELD[k]]]),
  ) as Omit<TIncidentInput, "apiIds" | "detectedAt" | "reportedAt">),
  // The form's inputs take minutes, in UTC.
  detectedAt: v.detectedAt.slice(0, 16),
  reportedAt: v.reportedAt.slice(0, 16),
  apiIds: v.apis.map((a) => a.id),
});

export const incidentListSchema = () => recordJsonSchema(INCIDENT_FIELDS, INCIDENT_LIST_FIELDS);
export const incidentRecordSchema = () => recordJsonSchema(INCIDENT_FIELDS, INCIDENT_FIELD_KEYS);
