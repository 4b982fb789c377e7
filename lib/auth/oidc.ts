// Enterprise single sign-on (Entra ID, Okta, Keycloak, …) through any OpenID Connect provider, switched
// on by OIDC_ISSUER + OIDC_CLIENT_ID + OIDC_CLIENT_SECRET. The provider's groups/roles claim is mapped to
// an app role by OIDC_ROLE_MAP ("group=ROLE,group=ROLE"); a person with no mapped group is refused.
import { isRole, ROLES, type Role } from "@/lib/authz/policy";

export type OidcConfig = {
  issuer: string;
  clientId: string;
  clientSecret: string;
  name: string;
  rolesClaim: string;
  roleMap: Record<string, Role>;
};

export function oidcConfig(env: NodeJS.ProcessEnv = process.env): OidcConfig | null {
  const issuer = env.OIDC_ISSUER?.trim();
  const clientId = env.OIDC_CLIENT_ID?.trim();
  const clientSecret = env.OIDC_CLIENT_SECRET?.trim();
  if (!issuer || !clientId || !clientSecret) return null;
  return {
    issuer: issuer.replace(/\/$/, ""),
    clientId,
    clientSecret,
    name: env.OIDC_NAME?.trim() || "single sign-on",
    rolesClaim: env.OIDC_ROLES_CLAIM?.trim() || "groups",
    roleMap: parseRoleMap(env.OIDC_ROLE_MAP ?? ""),
  };
}

export function parseRoleMap(spec: string): Record<string, Role> {
  const map: Record<string, Role> = {};
  for (const pair of spec
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)) {
    const at = pair.lastIndexOf("=");
    const group = pair.slice(0, at).trim();
    const role = pair
      .slice(at + 1)
      .trim()
      .toUpperCase();
    if (at <= 0 || !isRole(role))
      throw new Error(`OIDC_ROLE_MAP entry "${pair}" must look like group=ROLE with ROLE one of ${ROLES.join(", ")}`);
    map[group] = role;
  }
  return map;
}

/** The most privileged role any of the person's groups maps to (ADMIN > SYSTEM_OWNER > MANAGER > AUDITOR). */
export function roleFromClaims(
  claims: Record<string, unknown>,
  config: Pick<OidcConfig, "rolesClaim" | "roleMap">,
): Role | null {
  const raw = claims[config.rolesClaim];
  const groups = Array.isArray(raw) ? raw.map(String) : typeof raw === "string" ? raw.split(/[ ,]+/) : [];
  const roles = groups.map((g) => config.roleMap[g]).filter((r): r is Role => !!r);
  return ROLES.find((r) => roles.includes(r)) ?? null;
}
