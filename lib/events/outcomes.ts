// What an authentication event says happened, with the words people read. Client-safe (the event
// schema in lib/events/schemas.ts checks addresses with node:net and stays on the server).
export const OUTCOMES = ["success", "authn_failure", "authz_denied"] as const;
export type Outcome = (typeof OUTCOMES)[number];
export const FAILURES: readonly Outcome[] = ["authn_failure", "authz_denied"];
export const OUTCOME_LABELS: Record<Outcome, string> = {
  success: "Success",
  authn_failure: "Authentication failed",
  authz_denied: "Authorisation denied",
};
