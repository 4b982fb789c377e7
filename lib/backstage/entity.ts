import { AUTH_METHODS, AUTHZ_MODELS, EXPOSURES, SENSITIVITIES, type Lifecycle } from "@/lib/apis/enums";
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

/** Backstage names: letters, digits, - _ . ; at most 63; start and end alphanumeric. */
export const entityName = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 63)
    .replace(/-+$/, "") || "api";

export type ExportableApi = {
  id: string;
  name: string;
  purpose: string;
  businessFunction: string;
  lifecycle: Lifecycle;
  exposure: string;
  partnerLinkPrivate: boolean;
  sensitivity: string;
  authMethods: readonly string[];
  authzModel: string | null;
  modifiesData: boolean | null;
  readsNonPublic: boolean | null;
  centrallyLogged: boolean | null;
  loggingDestination: string;
  tags: readonly string[];
  team: { name: string };
  ownerEmail: string | null;
};

const tri = (v: boolean | null) => (v === null ? "unknown" : v ? "yes" : "no");

export function toEntity(
  api: ExportableApi,
  definition: { type: string; text: string } | null,
): Record<string, unknown> {
  const a = (key: string, value: string) => (value ? { [`${ANNOTATION}/${key}`]: value } : {});
  return {
    apiVersion: "backstage.io/v1alpha1",
    kind: "API",
    metadata: {
      name: entityName(api.name),
      title: api.name,
      description: api.purpose,
      ...(api.tags.length ? { tags: api.tags.map(entityName) } : {}),
      annotations: {
        [`${ANNOTATION}/id`]: api.id,
        ...a("business-function", api.businessFunction),
        [`${ANNOTATION}/exposure`]: api.exposure,
        ...(api.exposure === "PARTNER"
          ? { [`${ANNOTATION}/partner-link-private`]: String(api.partnerLinkPrivate) }
          : {}),
        [`${ANNOTATION}/sensitivity`]: api.sensitivity,
        ...a("auth-methods", api.authMethods.join(",")),
        [`${ANNOTATION}/authz-model`]: api.authzModel ?? "UNKNOWN",
        [`${ANNOTATION}/modifies-data`]: tri(api.modifiesData),
        [`${ANNOTATION}/reads-non-public`]: tri(api.readsNonPublic),
        [`${ANNOTATION}/centrally-logged`]: tri(api.centrallyLogged),
        ...a("logging-destination", api.loggingDestination),
        ...a("owner-email", api.ownerEmail ?? ""),
      },
    },
    spec: {
      type: definition?.type ?? "openapi",
      lifecycle: LIFECYCLE_TO_BACKSTAGE[api.lifecycle],
      owner: `group:default/${entityName(api.team.name)}`,
      definition: definition?.text ?? `# ${api.name}: no OpenAPI description is attached in ApiLedger.\n`,
    },
  };
}

type Mapped = { input: TApiInput; id: string | null; name: string } | { errors: string[]; name: string };

/**
 * An entity as inventory input. `teams` and `people` resolve spec.owner and the owner annotation;
 * `current` (the existing entry, when updating) supplies facts the entity does not carry.
 */
export function fromEntity(
  doc: unknown,
  teams: { id: string; name: string }[],
  people: { id: string; email: string }[],
  current: (id: string | null, name: string) => TApiInput | null,
): Mapped {
  const errors: string[] = [];
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
  for (const key of ["type", "lifecycle", "owner", "definition"])
    if (typeof spec[key] !== "string" || !(spec[key] as string).trim()) errors.push(`spec.${key} is required.`);
  const lifecycle = LIFECYCLE_FROM_BACKSTAGE[String(spec.lifecycle ?? "").toLowerCase()];
  if (typeof spec.lifecycle === "string" && !lifecycle)
    errors.push(`spec.lifecycle “${spec.lifecycle}” is not experimental, production or deprecated.`);
  const ownerRef = String(spec.owner ?? "")
    .replace(/^group:/, "")
    .replace(/^[^/]*\//, "");
  const team = teams.find((t) => entityName(t.name) === entityName(ownerRef));
  if (spec.owner && !team)
    errors.push(
      `spec.owner “${String(spec.owner)}” matches no team (teams: ${teams.map((t) => entityName(t.name)).join(", ")}).`,
    );
  const id = ann("id") ?? null;
  const base = current(id, name) ?? { ...EMPTY_API_INPUT };
  const enumOf = <T extends string>(key: string, values: readonly T[], fallback: T): T => {
    const v = ann(key);
    if (v === undefined) return fallback;
    if (!(values as readonly string[]).includes(v)) {
      errors.push(`${ANNOTATION}/${key} “${v}” is not one of ${values.join(", ")}.`);
      return fallback;
    }
    return v as T;
  };
  const triOf = (key: string, fallback: "yes" | "no" | "unknown") =>
    enumOf(key, ["yes", "no", "unknown"] as const, fallback);
  const methods = ann("auth-methods");
  const authMethods =
    methods === undefined
      ? base.authMethods
      : methods
          .split(",")
          .map((m) => m.trim())
          .filter(Boolean);
  for (const m of authMethods)
    if (!(AUTH_METHODS as readonly string[]).includes(m))
      errors.push(`${ANNOTATION}/auth-methods: unknown method ${m}.`);
  const ownerEmail = ann("owner-email");
  const owner = ownerEmail ? people.find((p) => p.email.toLowerCase() === ownerEmail.toLowerCase()) : undefined;
  if (ownerEmail && !owner) errors.push(`${ANNOTATION}/owner-email ${ownerEmail} is not an active user.`);
  if (!current(id, name) && ann("sensitivity") === undefined)
    errors.push(`${ANNOTATION}/sensitivity is required for an API new to ApiLedger.`);
  if (errors.length) return { errors, name };
  const input: TApiInput = {
    ...base,
    name,
    purpose:
      typeof metadata.description === "string" && metadata.description.trim()
        ? metadata.description.trim()
        : base.purpose,
    businessFunction: ann("business-function") ?? base.businessFunction,
    teamId: team!.id,
    ownerId: ownerEmail === undefined ? base.ownerId : (owner?.id ?? ""),
    lifecycle: lifecycle === "DEPRECATED" && base.lifecycle === "RETIRED" ? "RETIRED" : lifecycle!,
    exposure: enumOf("exposure", EXPOSURES, base.exposure),
    partnerLinkPrivate:
      ann("partner-link-private") === undefined ? base.partnerLinkPrivate : ann("partner-link-private") === "true",
    sensitivity: enumOf("sensitivity", SENSITIVITIES, base.sensitivity),
    authMethods: authMethods as TApiInput["authMethods"],
    authzModel: enumOf("authz-model", [...AUTHZ_MODELS, "UNKNOWN"] as const, base.authzModel),
    modifiesData: triOf("modifies-data", base.modifiesData),
    readsNonPublic: triOf("reads-non-public", base.readsNonPublic),
    centrallyLogged: triOf("centrally-logged", base.centrallyLogged),
    loggingDestination: ann("logging-destination") ?? base.loggingDestination,
    tags: Array.isArray(metadata.tags)
      ? (metadata.tags as unknown[]).filter((t): t is string => typeof t === "string").slice(0, 20)
      : base.tags,
  };
  if (errors.length) return { errors, name };
  return { input, id, name };
}
