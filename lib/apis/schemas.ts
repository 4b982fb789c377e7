// The one schema of an API record's editable fields: the form validates with it before sending and the
// server validates the same object again before anything touches the database.
import { z } from "zod";
import { AUTH_METHODS, AUTHZ_MODELS, DATA_CATEGORIES, EXPOSURES, LIFECYCLES, SENSITIVITIES } from "@/lib/apis/enums";
import { nameRule } from "@/lib/input/validation";

const trimmed = (label: string, max: number) =>
  z
    .string({ error: `${label} must be text.` })
    .trim()
    .max(max, `${label} must be at most ${max} characters.`);

const required = (label: string, max: number) => trimmed(label, max).min(1, `${label} is required.`);

const optionalUrl = (label: string) =>
  trimmed(label, 500).refine((v) => v === "" || isHttpUrl(v), `${label} must be an http:// or https:// address.`);

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

export const enumOf = <T extends readonly [string, ...string[]]>(values: T, label: string) =>
  z.enum(values, { error: `Choose a valid ${label}.` });

/** "yes" / "no" / "unknown" in forms; true / false / null in the database. */
export const ZTriState = z.enum(["yes", "no", "unknown"], { error: "Choose yes, no or not known." });
export type TTriState = z.infer<typeof ZTriState>;
export const triStateToBool = (v: TTriState): boolean | null => (v === "unknown" ? null : v === "yes");
export const boolToTriState = (v: boolean | null): TTriState => (v === null ? "unknown" : v ? "yes" : "no");

const ZToken = z
  .string()
  .trim()
  .min(1, "Empty entries are not allowed.")
  .max(80, "Each entry must be at most 80 characters.")
  .refine((v) => !v.includes(","), "Entries cannot contain commas.");

export const ZApiInput = z
  .object({
    name: required("Name", 120).superRefine(nameRule("Name")),
    purpose: required("Purpose", 2000),
    businessFunction: trimmed("Business function", 200),
    teamId: required("Owning team", 64),
    ownerId: trimmed("Owner", 64),
    lifecycle: enumOf(LIFECYCLES, "lifecycle"),
    environments: z
      .array(
        z.object({
          name: required("Environment name", 40).superRefine(nameRule("Environment name")),
          baseUrl: optionalUrl("Base URL").refine((v) => v !== "", "Base URL is required."),
        }),
        {
          error: "Environments must be a list.",
        },
      )
      .max(10, "At most 10 environments."),
    exposure: enumOf(EXPOSURES, "network exposure"),
    partnerLinkPrivate: z.boolean({ error: "Say whether the partner link is private." }),
    readsNonPublic: ZTriState,
    modifiesData: ZTriState,
    sensitivity: enumOf(SENSITIVITIES, "data sensitivity"),
    dataCategories: z.array(enumOf(DATA_CATEGORIES, "data category")).max(DATA_CATEGORIES.length),
    authMethods: z.array(enumOf(AUTH_METHODS, "authentication method")).max(AUTH_METHODS.length),
    authzModel: z.union([enumOf(AUTHZ_MODELS, "authorisation model"), z.literal("UNKNOWN")], {
      error: "Choose a valid authorisation model.",
    }),
    authzRoles: z.array(ZToken).max(50, "At most 50 roles or scopes."),
    centrallyLogged: ZTriState,
    loggingDestination: trimmed("Log destination", 200),
    docsUrl: optionalUrl("Documentation link"),
    repoUrl: optionalUrl("Repository link"),
    openapiUrl: optionalUrl("OpenAPI description link"),
    tags: z.array(ZToken).max(20, "At most 20 tags."),
  })
  .strict()
  .superRefine((value, ctx) => {
    if (value.authMethods.includes("NONE") && value.authMethods.length > 1) {
      ctx.addIssue({
        code: "custom",
        path: ["authMethods"],
        message: "“None” cannot be combined with other authentication methods.",
      });
    }
    if (value.centrallyLogged === "yes" && value.loggingDestination === "") {
      ctx.addIssue({
        code: "custom",
        path: ["loggingDestination"],
        message: "Say where the calls are logged (for example the SIEM or log platform).",
      });
    }
    const envNames = value.environments.map((e) => e.name.toLowerCase());
    if (new Set(envNames).size !== envNames.length) {
      ctx.addIssue({ code: "custom", path: ["environments"], message: "Each environment name may appear only once." });
    }
  });

export type TApiInput = z.infer<typeof ZApiInput>;

export const EMPTY_API_INPUT: TApiInput = {
  name: "",
  purpose: "",
  businessFunction: "",
  teamId: "",
  ownerId: "",
  lifecycle: "PLANNED",
  environments: [],
  exposure: "INTERNAL",
  partnerLinkPrivate: false,
  readsNonPublic: "unknown",
  modifiesData: "unknown",
  sensitivity: "OFFICIAL",
  dataCategories: [],
  authMethods: [],
  authzModel: "UNKNOWN",
  authzRoles: [],
  centrallyLogged: "unknown",
  loggingDestination: "",
  docsUrl: "",
  repoUrl: "",
  openapiUrl: "",
  tags: [],
};
