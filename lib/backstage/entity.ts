import anyAscii from "any-ascii";
import { LABELS, type Lifecycle, type Sensitivity } from "@/lib/apis/enums";
import { triOf } from "@/lib/records/fields";
import {
  annotationOf,
  API_FIELD_KEYS,
  API_FIELDS,
  INPUT_FIELD,
  type ApiField,
  type ApiRecord,
  type FieldSpec,
} from "@/lib/apis/record";
import { EMPTY_API_INPUT, type TApiInput } from "@/lib/apis/schemas";

// Backstage catalog entities (kind: API) <-> inventory entries. The standard fields carry what Backstage
// knows (name, title, description, owner, lifecycle, type, definition); ApiLedger's own facts travel as
// annotations under apiledger.io/, so a catalog can round-trip through both tools without loss.
export const ANNOTATION = "apiledger.io";
const LIFECYCLE_TO_BACKSTAGE: Record<Lifecycle, string> = {
  PLANNED: "experimental",
  ACTIVE: "production",
  DEPRECATED: "deprecated",
  RETIRED: "deprecated",
};
const LIFECYCLE_FROM_BACKSTAGE: Record<string, Lifecycle> = {
  experimental: "PLANNED",
  production: "ACTIVE",
  deprecated: "DEPRECATED",
};

/**
 * Backstage names: letters, digits, - _ . ; at most 63; start and end alphanumeric. Other scripts are
 * transliterated (“Whānau” → whanau, “数据” → shuju), not dropped.
 */
export const entityName = (s: string) =>
  anyAscii(s)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 63)
    .replace(/-+$/, "") || "api";

/** A Backstage tag: lower-case letters, digits and : + #, in words joined by single dashes; at most 63. */
export const tagName = (s: string) =>
  anyAscii(s)
    .toLowerCase()
    .replace(/[^a-z0-9:+#]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 63)
    .replace(/-+$/, "");

/** A field's annotation value, or nothing when there is nothing to say (an empty text or list). */
function annotationValue(field: ApiField, r: ApiRecord): string | undefined {
  const { kind, relevant } = API_FIELDS[field] as FieldSpec;
  if (relevant && !relevant(r)) return undefined;
  const v = r[field];
  switch (kind.type) {
    case "enum":
      return (v as string | null) ?? "UNKNOWN";
    case "enum-list":
    case "tokens":
      return (v as string[]).join(",") || undefined;
    case "tri":
      return triOf(v as boolean | null);
    case "flag":
      return String(v);
    case "person":
      return r.owner?.email;
    default:
      return (v as string) || undefined;
  }
}

/**
 * The API as a Backstage entity; every field the record carries by annotation (lib/apis/record.ts),
 * tags too (exactly, beside the Backstage-shaped metadata.tags). `name` is its unique entity name in
 * the catalog being written (entityName, made unique by the exporter); an API without an attached
 * description is `type: other`, its definition a sentence saying so.
 */
export function toEntity(
  api: ApiRecord,
  definition: { type: string; text: string } | null,
  name = entityName(api.name),
): Record<string, unknown> {
  const annotations: Record<string, string> = {};
  for (const field of API_FIELD_KEYS) {
    const key = annotationOf(field);
    const value = key ? annotationValue(field, api) : undefined;
    if (key && value !== undefined) annotations[`${ANNOTATION}/${key}`] = value;
  }
  return {
    apiVersion: "backstage.io/v1alpha1",
    kind: "API",
    metadata: {
      name,
      title: api.name,
      description: api.purpose,
      ...(api.tags.length ? { tags: [...new Set(api.tags.map(tagName).filter(Boolean))] } : {}),
      annotations,
    },
    spec: {
      type: definition?.type ?? "other",
      lifecycle: LIFECYCLE_TO_BACKSTAGE[api.lifecycle],
      owner: `group:default/${entityName(api.team.name)}`,
      definition: definition?.text ?? `No OpenAPI description of ${api.name} is attached in ApiLedger.\n`,
    },
  };
}

type Mapped =
  | { input: TApiInput; id: string | null; name: string; notes: string[]; definitionRef: Substitution | null }
  | { errors: string[]; name: string };
type Substitution = { kind: "$text" | "$json" | "$yaml"; target: string };

/** Backstage's placeholder substitutions ($text, $json, $yaml: a file or URL the catalog reads the value from). */
export function substitution(value: unknown): Substitution | null {
  if (!value || typeof value !== "object" || Array.isArray(value)) return null;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length !== 1) return null;
  const [kind, target] = entries[0]!;
  return (kind === "$text" || kind === "$json" || kind === "$yaml") && typeof target === "string" && target.trim()
    ? { kind, target: target.trim() }
    : null;
}

/**
 * What the person importing chooses for entities that do not say it themselves — as most catalogs do
 * not: the team of an API whose spec.owner is no ApiLedger team, and the sensitivity of a new API without
 * ApiLedger's annotation. Empty = refuse such entities (the preview says which and why).
 */
export type CatalogDefaults = { teamId: string; sensitivity: Sensitivity | "" };
export const NO_DEFAULTS: CatalogDefaults = { teamId: "", sensitivity: "" };

/**
 * An entity as inventory input. `teams` and `people` resolve spec.owner and the owner annotation;
 * `current` (the existing entry, when updating) supplies facts the entity does not carry. A fact neither
 * gives stays unrecorded, so the controls that need it say "cannot be judged" until someone records it.
 */
export function fromEntity(
  doc: unknown,
  teams: { id: string; name: string }[],
  people: { id: string; email: string }[],
  current: (id: string | null, name: string) => TApiInput | null,
  defaults: CatalogDefaults = NO_DEFAULTS,
): Mapped {
  const errors: string[] = [];
  const notes: string[] = [];
  const d = (doc ?? {}) as Record<string, unknown>;
  const metadata = (d.metadata ?? {}) as Record<string, unknown>;
  const spec = (d.spec ?? {}) as Record<string, unknown>;
  const annotations = (metadata.annotations ?? {}) as Record<string, unknown>;
  const ann = (key: string) =>
    typeof annotations[`${ANNOTATION}/${key}`] === "string"
      ? (annotations[`${ANNOTATION}/${key}`] as string).trim()
      : undefined;
  const name =
    typeof metadata.title === "string" && metadata.title.trim()
      ? metadata.title.trim()
      : typeof metadata.name === "string"
        ? metadata.name
        : "";
  if (d.apiVersion !== "backstage.io/v1alpha1")
    errors.push(`apiVersion must be backstage.io/v1alpha1 (found ${JSON.stringify(d.apiVersion ?? null)}).`);
  if (typeof metadata.name !== "string" || !/^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/.test(metadata.name))
    errors.push("metadata.name is missing or not a valid Backstage name.");
  for (const key of ["type", "lifecycle", "owner"])
    if (typeof spec[key] !== "string" || !(spec[key] as string).trim()) errors.push(`spec.${key} is required.`);
  const definitionRef = substitution(spec.definition);
  if (!definitionRef && (typeof spec.definition !== "string" || !spec.definition.trim()))
    errors.push("spec.definition is required: the text, or a $text, $json or $yaml reference.");
  const id = ann("id") ?? null;
  const existing = current(id, name);
  const base = existing ?? { ...EMPTY_API_INPUT };
  // Backstage takes any lifecycle word; one ApiLedger does not know keeps the entry's own (Active if new).
  let lifecycle = LIFECYCLE_FROM_BACKSTAGE[String(spec.lifecycle ?? "").toLowerCase()];
  if (typeof spec.lifecycle === "string" && spec.lifecycle.trim() && !lifecycle) {
    lifecycle = existing ? base.lifecycle : "ACTIVE";
    notes.push(
      `spec.lifecycle “${spec.lifecycle}” is not experimental, production or deprecated: recorded as ${LABELS.lifecycle[lifecycle]}.`,
    );
  }
  const ownerRef = String(spec.owner ?? "")
    .replace(/^group:/, "")
    .replace(/^[^/]*\//, "");
  let team = teams.find((t) => entityName(t.name) === entityName(ownerRef));
  if (spec.owner && !team) {
    team = teams.find((t) => t.id === defaults.teamId);
    if (team) notes.push(`spec.owner “${String(spec.owner)}” is no ApiLedger team: placed in ${team.name}, as chosen.`);
    else
      errors.push(
        `spec.owner “${String(spec.owner)}” matches no team (teams: ${teams.map((t) => entityName(t.name)).join(", ")}); choose a team for such APIs to import it.`,
      );
  }
  // Every field the record carries by annotation (lib/apis/record.ts); an absent one keeps its value.
  const carried: Partial<Record<keyof TApiInput, unknown>> = {};
  for (const [inputKey, field] of Object.entries(INPUT_FIELD) as [keyof TApiInput, ApiField][]) {
    const key = annotationOf(field);
    const raw = key ? ann(key) : undefined;
    if (key && raw !== undefined) carried[inputKey] = fromAnnotation(field, key, raw, people, errors);
  }
  if (!existing && ann("sensitivity") === undefined) {
    if (defaults.sensitivity) {
      carried.sensitivity = defaults.sensitivity;
      notes.push(`No ${ANNOTATION}/sensitivity: recorded as ${LABELS.sensitivity[defaults.sensitivity]}, as chosen.`);
    } else
      errors.push(
        `${ANNOTATION}/sensitivity is required for an API new to ApiLedger; choose a sensitivity for such APIs to import it.`,
      );
  }
  if (errors.length) return { errors, name };
  // A definition Backstage fetches from elsewhere ($text: https://…/openapi.yaml) is where the API's
  // description lives: its OpenAPI link, unless the entity says otherwise. Nothing is fetched here.
  const linked =
    definitionRef && /^https?:\/\//i.test(definitionRef.target) && carried.openapiUrl === undefined
      ? { openapiUrl: definitionRef.target }
      : {};
  const input: TApiInput = {
    ...base,
    ...(carried as Partial<TApiInput>),
    ...linked,
    name,
    purpose: purposeOf(metadata.description, base.purpose, name, notes),
    teamId: team!.id,
    lifecycle: lifecycle === "DEPRECATED" && base.lifecycle === "RETIRED" ? "RETIRED" : lifecycle!,
    // ApiLedger's own tags annotation when present (exact); else Backstage's metadata.tags.
    tags:
      carried.tags !== undefined
        ? (carried.tags as string[])
        : Array.isArray(metadata.tags)
          ? (metadata.tags as unknown[]).filter((t): t is string => typeof t === "string").slice(0, 20)
          : base.tags,
  };
  if (errors.length) return { errors, name };
  // Whether it is also read (fetched, or taken from an uploaded bundle) is the import's to say.
  if (definitionRef)
    notes.push(
      `definition: ${definitionRef.kind} ${definitionRef.target} — kept as a reference${"openapiUrl" in linked ? " (the API's OpenAPI link)" : ""}.`,
    );
  return { input, id, name, notes, definitionRef };
}

/**
 * The entity's description as the API's purpose; else the entry's own; else, for a new API Backstage
 * described no further, a purpose that says so (noted), since the inventory needs one to list it.
 */
function purposeOf(description: unknown, current: string, name: string, notes: string[]): string {
  if (typeof description === "string" && description.trim()) return description.trim();
  if (current) return current;
  notes.push("No metadata.description: the purpose says so until someone records it.");
  return `Not described in the Backstage catalog (entity ${name}); record its purpose.`;
}

/** An annotation's text as the form input's value for its field; problems go to `errors`. */
function fromAnnotation(
  field: ApiField,
  key: string,
  raw: string,
  people: { id: string; email: string }[],
  errors: string[],
): unknown {
  const { kind } = API_FIELDS[field] as FieldSpec;
  const name = `${ANNOTATION}/${key}`;
  const oneOf = (value: string, values: readonly string[]) => {
    if (!values.includes(value)) errors.push(`${name} “${value}” is not one of ${values.join(", ")}.`);
    return value;
  };
  const items = () =>
    raw
      .split(",")
      .map((v) => v.trim())
      .filter(Boolean);
  switch (kind.type) {
    case "enum":
      return oneOf(raw, kind.nullable ? [...kind.values, "UNKNOWN"] : kind.values);
    case "enum-list":
      for (const v of items()) if (!kind.values.includes(v)) errors.push(`${name}: unknown value ${v}.`);
      return items();
    case "tokens":
      return items();
    case "tri":
      return oneOf(raw, ["yes", "no", "unknown"]);
    case "flag":
      return raw === "true";
    case "person": {
      if (!raw) return "";
      const owner = people.find((p) => p.email.toLowerCase() === raw.toLowerCase());
      if (!owner) errors.push(`${name} ${raw} is not an active user.`);
      return owner?.id ?? "";
    }
    default:
      return raw;
  }
}

/** A team as the Backstage Group its APIs' spec.owner names. */
export function toGroupEntity(team: { name: string; description?: string | null }): Record<string, unknown> {
  return {
    apiVersion: "backstage.io/v1alpha1",
    kind: "Group",
    metadata: {
      name: entityName(team.name),
      title: team.name,
      ...(team.description ? { description: team.description } : {}),
    },
    spec: { type: "team", children: [] },
  };
}
