// The kinds of value a record's fields hold, and how each kind is written in every output: for people
// (CSV downloads, labels), for machines (the evidence bundle's data files), as JSON (REST responses and
// the pages) and as JSON Schema (the REST description). A record (lib/apis/record.ts,
// lib/clients/record.ts, lib/incidents/record.ts) lists its fields once with their kinds; every output
// is derived from that list with the functions here, so a field cannot reach one output and miss
// another. Client-safe: no database, no server-only imports.
import { closedObject } from "@/lib/records/json-schema";

/** The one wording of a yes/no fact that may not be recorded yet, wherever people read it (machine encodings keep yes/no/unknown). */
export const TRI_LABELS = { yes: "Yes", no: "No", unknown: "Not recorded" } as const;
export type Tri = keyof typeof TRI_LABELS;
export const triOf = (v: boolean | null): Tri => (v === null ? "unknown" : v ? "yes" : "no");

export type EnumLabels = Readonly<Record<string, string>>;
/** Something a record points at, as it is shown: its id and its name. */
export type Ref = { id: string; name: string };
/** A person a record names; the e-mail identifies them in the evidence bundle. */
export type PersonRef = Ref & { email: string };
export type Environment = { name: string; baseUrl: string };

export type FieldKind =
  | { type: "id" | "text" | "url" }
  | { type: "integer" }
  /** A moment (Date), written as ISO 8601 UTC. */
  | { type: "instant"; nullable?: true }
  /**
   * A calendar day (Date at 00:00 UTC, or null), written YYYY-MM-DD; "" in JSON when not recorded, as
   * the date inputs that edit it expect. `dataAsInstant`: the stored value can carry a time (set by
   * the event feed), which the evidence keeps.
   */
  | { type: "day"; dataAsInstant?: true }
  | { type: "enum"; values: readonly string[]; labels: EnumLabels; nullable?: true }
  | { type: "enum-list"; values: readonly string[]; labels: EnumLabels }
  /** Free-form words (tags, scopes, roles). */
  | { type: "tokens" }
  /** Yes, no or not recorded (boolean | null). */
  | { type: "tri" }
  | { type: "flag" }
  /** A team (Ref), never empty. */
  | { type: "team" }
  /** A person (PersonRef) or nobody. */
  | { type: "person" }
  /** Other records (Ref[]), e.g. the APIs an incident affected. */
  | { type: "refs" }
  | { type: "environments" };

export const enumKind = (values: readonly string[], labels: EnumLabels) => ({ type: "enum" as const, values, labels });
export const listKind = (values: readonly string[], labels: EnumLabels) => ({
  type: "enum-list" as const,
  values,
  labels,
});

export type FieldSpec<R> = {
  /** What people call it: the CSV header and the evidence column's description. */
  label: string;
  kind: FieldKind;
  /** The column's name in the evidence bundle's data files, when it is not the field's own name. */
  column?: string;
  /** When the value means something (partner-link privacy only for partner APIs); blank otherwise for people. */
  relevant?: (r: R) => boolean;
};

export type Cell = string | number | boolean | null;
const iso = (d: Date | null) => d?.toISOString() ?? null;
const day = (d: Date | null) => d?.toISOString().slice(0, 10) ?? null;

/** The value for people: labels, "Yes / No / Not recorded", names. */
export function displayOf(kind: FieldKind, v: unknown): string | string[] {
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
    case "integer":
      return String(v);
    case "team":
      return (v as Ref).name;
    case "person":
      return (v as PersonRef | null)?.name ?? "";
    case "refs":
      return (v as Ref[]).map((r) => r.name);
    case "environments":
      return (v as Environment[]).map((e) => `${e.name} ${e.baseUrl}`);
    case "instant":
      return iso(v as Date | null) ?? "";
    case "day":
      return day(v as Date | null) ?? "";
    default:
      return v as string;
  }
}

/** The value for machines (the evidence bundle's data files): codes, true / false / null, e-mails, ids. */
export function dataOf(kind: FieldKind, v: unknown): Cell {
  switch (kind.type) {
    case "enum-list":
    case "tokens":
      return (v as string[]).join(" ");
    case "team":
      return (v as Ref).name;
    case "person":
      return (v as PersonRef | null)?.email ?? null;
    case "refs":
      return (v as Ref[]).map((r) => r.id).join(" ");
    case "environments":
      return JSON.stringify(v);
    case "instant":
      return iso(v as Date | null);
    case "day":
      return kind.dataAsInstant ? iso(v as Date | null) : day(v as Date | null);
    default:
      return v as Cell;
  }
}

/** The value as JSON (REST responses and the pages); jsonSchemaOfKind describes exactly this. */
export function jsonOf(kind: FieldKind, v: unknown): unknown {
  switch (kind.type) {
    case "person": {
      const p = v as PersonRef | null;
      return p ? { id: p.id, name: p.name } : null;
    }
    case "team":
      return { id: (v as Ref).id, name: (v as Ref).name };
    case "refs":
      return (v as Ref[]).map((r) => ({ id: r.id, name: r.name }));
    case "instant":
      return iso(v as Date | null);
    case "day":
      return day(v as Date | null) ?? "";
    default:
      return v;
  }
}

const REF_SCHEMA = closedObject({ id: { type: "string" }, name: { type: "string" } });

/** The JSON Schema of jsonOf's value. */
export function jsonSchemaOfKind(kind: FieldKind, label: string): Record<string, unknown> {
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
    case "integer":
      return described({ type: "integer" });
    case "team":
      return described(REF_SCHEMA);
    case "person":
      return described({ ...REF_SCHEMA, type: ["object", "null"] });
    case "refs":
      return described({ type: "array", items: REF_SCHEMA });
    case "environments":
      return described({
        type: "array",
        items: closedObject({ name: { type: "string" }, baseUrl: { type: "string", format: "uri" } }),
      });
    case "instant":
      return described({ type: kind.nullable ? ["string", "null"] : "string", format: "date-time" });
    case "day":
      return { type: "string", pattern: "^(\\d{4}-\\d{2}-\\d{2})?$", description: `${label} (YYYY-MM-DD, or empty)` };
    case "url":
      return { type: "string", description: `${label} (an http(s) address, or empty)` };
    default:
      return described({ type: "string" });
  }
}

type Fields<R> = { readonly [K in keyof R]?: FieldSpec<R> };

/** The JSON type jsonOf gives a field of kind K whose record value is V. */
type JsonValue<K, V> = K extends { type: "day" }
  ? string
  : K extends { type: "instant"; nullable: true }
    ? string | null
    : K extends { type: "instant" }
      ? string
      : K extends { type: "person" }
        ? Ref | null
        : K extends { type: "team" }
          ? Ref
          : K extends { type: "refs" }
            ? Ref[]
            : V;

/** A record as JSON over the fields `Keys`: the DTO type REST responses and pages receive. */
export type RecordJson<R, F extends Fields<R>, Keys extends keyof R & keyof F> = {
  -readonly [K in Keys]: JsonValue<NonNullable<F[K]>["kind"], R[K]>;
};

/** A closed object schema over some of a record's fields (all of them required: JSON always carries each). */
export function recordJsonSchema<R>(fields: Fields<R>, keys: readonly (keyof R & string)[]) {
  return closedObject(Object.fromEntries(keys.map((k) => [k, jsonSchemaOfKind(fields[k]!.kind, fields[k]!.label)])));
}

/** The record as JSON over some of its fields (what recordJsonSchema describes). */
export function recordJson<R, F extends Fields<R>, Keys extends keyof R & keyof F & string>(
  fields: F,
  keys: readonly Keys[],
  r: Pick<R, Keys>,
): RecordJson<R, F, Keys> {
  // A plain loop: lists of 50 rows are shaped on every REST call, and pairs arrays are garbage.
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = jsonOf(fields[k]!.kind, r[k]);
  return out as RecordJson<R, F, Keys>;
}

/** The evidence columns of some of a record's fields. */
export const dataColumns = <R>(fields: Fields<R>, keys: readonly (keyof R & string)[]): string[] =>
  keys.map((k) => fields[k]!.column ?? k);

/** The record as an evidence row over some of its fields, keyed by dataColumns. */
export function dataRow<R>(fields: Fields<R>, keys: readonly (keyof R & string)[], r: R): Record<string, Cell> {
  return Object.fromEntries(keys.map((k) => [fields[k]!.column ?? k, dataOf(fields[k]!.kind, r[k])]));
}

/** The record for people over some of its fields (CSV cells), blank where a field is not relevant. */
export function displayRow<R>(fields: Fields<R>, keys: readonly (keyof R & string)[], r: R): (string | string[])[] {
  return keys.map((k) => {
    const { kind, relevant } = fields[k]!;
    return relevant && !relevant(r) ? "" : displayOf(kind, r[k]);
  });
}
