import { EMPTY_API_INPUT } from "@/lib/apis/schemas";

/**
 * A complete API form for tests: an internal API that changes data, reached with mutual TLS, role-based,
 * not centrally logged. Tests override what they look at.
 */
export const apiInput = <T extends Record<string, unknown>>(teamId: string, over: T) => ({
  ...EMPTY_API_INPUT,
  name: "Test API",
  purpose: "Tests",
  teamId,
  exposure: "INTERNAL" as const,
  modifiesData: "yes" as const,
  readsNonPublic: "no" as const,
  authMethods: ["MTLS" as const],
  authzModel: "RBAC" as const,
  centrallyLogged: "no" as const,
  ...over,
});
