// Which change to a live grant a review follow-up stands for (client-safe: the page and the write share it).

export type GrantAction = { decision: "REVOKE" | "CHANGE_SCOPE"; clientId: string };

/** The revoke or change-scope decision a follow-up was created from, or null for any other follow-up. */
export function grantActionOf(followUp: { fromClientId: string }, decisionsJson: string): GrantAction | null {
  if (!followUp.fromClientId) return null;
  // The review's decisions as stored (lib/reviews/schemas.ts ZDecision), read without importing reviews.
  const decisions = JSON.parse(decisionsJson || "{}") as Record<string, { decision: string } | undefined>;
  const decision = decisions[followUp.fromClientId];
  if (decision?.decision !== "REVOKE" && decision?.decision !== "CHANGE_SCOPE") return null;
  return { decision: decision.decision, clientId: followUp.fromClientId };
}

/** A grant's scope as one line: "read, write (may modify data)". */
export const scopeText = (g: { scopes: string[]; canModify: boolean }): string =>
  `${[...g.scopes].sort().join(", ") || "no scopes"}${g.canModify ? " (may modify data)" : " (read only)"}`;
