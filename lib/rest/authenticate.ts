import "server-only";
import { authorizedWrite } from "@/lib/audit/authorized-write";
import { placeholders, readRows } from "@/lib/db/client";
import { getActor } from "@/lib/auth/current-actor";
import { tokenScopes, type Actor, type Role } from "@/lib/authz/policy";
import { AppError } from "@/lib/errors";
import { sourceAddress } from "@/lib/http/responses";
import { displayPrefix, hashToken, isWellFormedToken } from "@/lib/tokens/token-secret";
import { recordFailure, storable } from "@/lib/auth/failure-record";

export type ApiPrincipal = { actor: Extract<Actor, { kind: "user" }>; tokenId: string | null };

/** The caller's address (the socket's, or the client a trusted proxy reports; lib/server/source-address.ts). */
export function clientIp(request: Request): string {
  return sourceAddress(request.headers);
}

/**
 * Who is calling: a bearer token (pipelines, gateways), or the signed-in session (the app's own pages).
 * A presented token that is malformed, unknown, expired or revoked — or belongs to a deactivated user —
 * is refused and recorded as a failed authentication, which feeds the same alerts as failed sign-ins.
 */
export async function authenticate(request: Request, now = new Date()): Promise<ApiPrincipal> {
  const header = request.headers.get("authorization");
  if (header !== null) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const secret = match?.[1] ?? "";
    const token = isWellFormedToken(secret) ? await tokenByHash(hashToken(secret)) : null;
    const reason = !match
      ? "not a bearer token"
      : !isWellFormedToken(secret)
        ? "malformed token"
        : !token
          ? "unknown token"
          : token.revokedAt
            ? "token revoked"
            : !(token.expiresAt.getTime() > now.getTime()) // an unreadable expiry (Invalid Date) is expired
              ? "token expired"
              : !token.isActive
                ? "account deactivated"
                : "";
    if (reason || !token) {
      await recordTokenFailure(
        secret && isWellFormedToken(secret) ? displayPrefix(secret) : "",
        token?.userId ?? null,
        reason,
        clientIp(request),
        request.headers.get("user-agent") ?? "",
      );
      throw new AppError("UNAUTHENTICATED", `The API token was refused (${reason}).`);
    }
    const scopes = tokenScopes(token.scopes);
    return {
      actor: {
        kind: "user",
        id: token.userId,
        email: token.email,
        role: token.role as Role,
        teamId: token.userTeamId,
        token: { id: token.id, scopes, teamId: token.teamId },
      },
      tokenId: token.id,
    };
  }
  const actor = await getActor();
  if (!actor) throw new AppError("UNAUTHENTICATED", "Send an API token (Authorization: Bearer apl_…) or sign in.");
  return {
    actor: { kind: "user", id: actor.id, email: actor.email, role: actor.role, teamId: actor.teamId },
    tokenId: null,
  };
}

type TokenRow = {
  id: string;
  userId: string;
  scopes: string;
  teamId: string | null;
  expiresAt: Date;
  revokedAt: Date | null;
  email: string;
  role: string;
  userTeamId: string | null;
  isActive: boolean;
};

/**
 * The token and its user in one statement, read through the driver. Every REST call asks this; through
 * the model client's models it was two queries and about four times the time (lib/cli/bench-api.ts
 * measures the REST path).
 */
async function tokenByHash(tokenHash: string): Promise<TokenRow | null> {
  const rows = await readRows<TokenRow>(
    `SELECT k."id", k."userId", k."scopes", k."teamId", k."expiresAt", k."revokedAt",
       u."email", u."role", u."teamId" AS "userTeamId", u."isActive"
     FROM "ApiToken" k JOIN "User" u ON u."id" = k."userId"
     WHERE k."tokenHash" = ${placeholders(1)[0]}`,
    [tokenHash],
  );
  return rows[0] ?? null;
}

/** One refused token: a SignInEvent and audit entry per address, reason and minute, else a count on it. */
async function recordTokenFailure(
  prefix: string,
  userId: string | null,
  reason: string,
  ip: string,
  userAgent: string,
): Promise<void> {
  const account = prefix ? `API token ${prefix}…` : "API token (unrecognised)";
  const failure = {
    kind: "api-token" as const,
    email: account,
    userId,
    reason,
    ip,
    userAgent: storable(userAgent, 300),
  };
  await authorizedWrite(
    { actor: { kind: "system", id: null, email: account }, ip },
    { permission: "auth:record-sign-in", countsOnly: "auth:record-sign-in" },
    async (tx, audit) => {
      await recordFailure(tx, audit, failure, {
        action: "auth.token-failed",
        targetType: "user",
        targetId: userId ?? account,
        summary: `Refused ${account} (${reason})`,
        details: { account, reason, method: "api-token" },
      });
    },
  );
}
