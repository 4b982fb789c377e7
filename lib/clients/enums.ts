// Client kinds and credential types with labels. Client-safe; values equal the Prisma enums.
export const CLIENT_KINDS = ["SERVICE_ACCOUNT", "APPLICATION", "TEAM", "USER"] as const;
export type ClientKind = (typeof CLIENT_KINDS)[number];

export const CREDENTIAL_TYPES = [
  "CLIENT_CERTIFICATE",
  "OAUTH_CLIENT",
  "API_KEY",
  "JWT",
  "KERBEROS",
  "PASSWORD",
  "OTHER",
] as const;
export type CredentialType = (typeof CREDENTIAL_TYPES)[number];

export const CLIENT_LABELS = {
  kind: { SERVICE_ACCOUNT: "Service account", APPLICATION: "Application", TEAM: "Team", USER: "Person" },
  credentialType: {
    CLIENT_CERTIFICATE: "Client certificate",
    OAUTH_CLIENT: "OAuth client",
    API_KEY: "API key",
    JWT: "Signed JWT",
    KERBEROS: "Kerberos",
    PASSWORD: "Password",
    OTHER: "Other",
  },
} as const satisfies { kind: Record<ClientKind, string>; credentialType: Record<CredentialType, string> };

export const FLAG_KINDS = [
  "EXPIRED",
  "NOT_ROTATED",
  "ROTATION_UNKNOWN",
  "WRITE_ON_PROTECTED",
  "NOT_SEEN",
  "NO_APPROVER",
] as const;
export type FlagKind = (typeof FLAG_KINDS)[number];
