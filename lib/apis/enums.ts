// Enumerated fields of an API record with their labels. Client-safe (no Prisma import); the values
// must equal the Prisma enums in prisma/base.prisma (checked by lib/apis/enums.test.ts).
export const LIFECYCLES = ["PLANNED", "ACTIVE", "DEPRECATED", "RETIRED"] as const;
export type Lifecycle = (typeof LIFECYCLES)[number];

export const EXPOSURES = ["INTERNAL", "PARTNER", "INTERNET"] as const;
export type Exposure = (typeof EXPOSURES)[number];

export const SENSITIVITIES = [
  "UNOFFICIAL",
  "OFFICIAL",
  "OFFICIAL_SENSITIVE",
  "PROTECTED",
  "SECRET",
  "TOP_SECRET",
] as const;
export type Sensitivity = (typeof SENSITIVITIES)[number];

export const AUTHZ_MODELS = ["RBAC", "SCOPES", "ABAC", "NONE"] as const;
export type AuthzModel = (typeof AUTHZ_MODELS)[number];

export const AUTH_METHODS = [
  "MTLS",
  "OAUTH2_CLIENT_CREDENTIALS",
  "OIDC_JWT",
  "SIGNED_REQUESTS",
  "KERBEROS",
  "API_KEY",
  "BASIC",
  "NONE",
] as const;
export type AuthMethod = (typeof AUTH_METHODS)[number];

export const DATA_CATEGORIES = [
  "PERSONAL",
  "FINANCIAL",
  "HEALTH",
  "CREDENTIALS",
  "LAW_ENFORCEMENT",
  "NATIONAL_SECURITY",
  "COMMERCIAL",
] as const;
export type DataCategory = (typeof DATA_CATEGORIES)[number];

export const CONTROL_STATUSES = ["NOT_APPLICABLE", "MET", "NOT_MET", "CANNOT_JUDGE"] as const;
export type ControlStatus = (typeof CONTROL_STATUSES)[number];

export const LABELS = {
  lifecycle: { PLANNED: "Planned", ACTIVE: "Active", DEPRECATED: "Deprecated", RETIRED: "Retired" },
  exposure: { INTERNAL: "Internal only", PARTNER: "Partner", INTERNET: "Internet-facing" },
  sensitivity: {
    UNOFFICIAL: "UNOFFICIAL",
    OFFICIAL: "OFFICIAL",
    OFFICIAL_SENSITIVE: "OFFICIAL: Sensitive",
    PROTECTED: "PROTECTED",
    SECRET: "SECRET",
    TOP_SECRET: "TOP SECRET",
  },
  authzModel: { RBAC: "Role-based (RBAC)", SCOPES: "Scopes", ABAC: "Attribute-based (ABAC)", NONE: "None" },
  authMethod: {
    MTLS: "Mutual TLS",
    OAUTH2_CLIENT_CREDENTIALS: "OAuth 2.0 client credentials",
    OIDC_JWT: "OIDC / JWT bearer",
    SIGNED_REQUESTS: "Signed requests",
    KERBEROS: "Kerberos / AD",
    API_KEY: "API key",
    BASIC: "Basic authentication",
    NONE: "None",
  },
  dataCategory: {
    PERSONAL: "Personal",
    FINANCIAL: "Financial",
    HEALTH: "Health",
    CREDENTIALS: "Credentials",
    LAW_ENFORCEMENT: "Law enforcement",
    NATIONAL_SECURITY: "National security",
    COMMERCIAL: "Commercial-in-confidence",
  },
  controlStatus: { NOT_APPLICABLE: "Not applicable", MET: "Met", NOT_MET: "Not met", CANNOT_JUDGE: "Cannot be judged" },
} as const satisfies {
  lifecycle: Record<Lifecycle, string>;
  exposure: Record<Exposure, string>;
  sensitivity: Record<Sensitivity, string>;
  authzModel: Record<AuthzModel, string>;
  authMethod: Record<AuthMethod, string>;
  dataCategory: Record<DataCategory, string>;
  controlStatus: Record<ControlStatus, string>;
};

/** Methods that identify the calling client cryptographically or by a managed secret. */
export const WEAK_AUTH_METHODS: readonly AuthMethod[] = ["BASIC", "API_KEY"];

export function sensitivityRank(s: Sensitivity): number {
  return SENSITIVITIES.indexOf(s);
}
