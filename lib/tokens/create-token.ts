import "server-only";
import { authorizedWrite, type WriteContext } from "@/lib/audit/authorized-write";
import type { Tx } from "@/lib/db/client";
import type { Audit } from "@/lib/audit/authorized-write";
import { requireRolePermission, scopesOffered, type Role } from "@/lib/authz/policy";
import { AppError } from "@/lib/errors";
import { getSettings } from "@/lib/settings/queries";
import { reauthenticateFirst, requireRecentSignIn } from "@/lib/sessions/limits";
import { parseOrThrow } from "@/lib/input/validation";
import { ZTokenInput } from "@/lib/tokens/schemas";
import { displayPrefix, generateTokenSecret, hashToken } from "@/lib/tokens/token-secret";

export const REAUTHENTICATE_FIRST = reauthenticateFirst("creating a token");

/**
 * Creates a token for the signed-in person, or (admins) for a service account. Returns the secret,
 * which is never stored or shown again. Every token expires within the admin-set maximum.
 */
export async function createToken(
  ctx: WriteContext,
  forUserId: string | null,
  rawInput: unknown,
): Promise<{ id: string; secret: string; expiresAt: string }> {
  if (ctx.actor.kind !== "user") throw new AppError("FORBIDDEN", "Tokens belong to a person or a service account.");
  const userId = forUserId ?? ctx.actor.id;
  const permission = userId === ctx.actor.id ? "token:manage-own" : "token:manage-service";
  requireRolePermission(ctx.actor, permission);
  // A token outlives the session (up to the admin's maximum).
  requireRecentSignIn(ctx.actor.session, "creating a token");
  const input = parseOrThrow(ZTokenInput, rawInput);
  const { tokenMaxDays } = await getSettings();
  if (input.expiresInDays > tokenMaxDays)
    throw new AppError("VALIDATION", "Some fields need attention.", {
      expiresInDays: [`At most ${tokenMaxDays} days (the administrator's limit).`],
    });
  const secret = generateTokenSecret();
  const expiresAt = new Date(Date.now() + input.expiresInDays * 86_400_000);
  return authorizedWrite(
    ctx,
    {
      permission,
      loadTarget: async (tx) => {
        const user = await tx.user.findUnique({
          where: { id: userId },
          select: { id: true, isActive: true, isServiceAccount: true, role: true },
        });
        if (!user?.isActive) return null;
        // A scope only administrators can ever use (SCIM) is not given to anyone else.
        const unusable = input.scopes.filter((s) => !scopesOffered(user.role as Role).includes(s));
        if (unusable.length)
          throw new AppError("VALIDATION", "Some fields need attention.", {
            scopes: [`${unusable.join(", ")}: not open to the ${user.role} role.`],
          });
        // Admins create tokens for service accounts only, never for another person.
        if (permission === "token:manage-service" && !user.isServiceAccount)
          throw new AppError("FORBIDDEN", "Tokens for a person are created by that person.");
        return { ownerId: user.id };
      },
    },
    async (tx, audit) => {
      if (input.teamId && !(await tx.team.count({ where: { id: input.teamId } })))
        throw new AppError("VALIDATION", "Some fields need attention.", { teamId: ["Choose an existing team."] });
      const token = await insertToken(tx, audit, {
        name: input.name,
        userId,
        secret,
        scopes: input.scopes,
        teamId: input.teamId || null,
        expiresAt,
        createdById: ctx.actor.id,
      });
      return { id: token.id, secret, expiresAt: expiresAt.toISOString() };
    },
  );
}

/**
 * The token row, in the caller's transaction, with its audit entry (never the secret, only its hash and
 * display prefix): also a traffic source's first token (lib/traffic/create-source.ts).
 */
export async function insertToken(
  tx: Tx,
  audit: Audit,
  t: {
    name: string;
    userId: string;
    secret: string;
    scopes: readonly string[];
    teamId: string | null;
    expiresAt: Date;
    createdById: string | null;
  },
) {
  const token = await tx.apiToken.create({
    data: {
      name: t.name,
      userId: t.userId,
      tokenHash: hashToken(t.secret),
      prefix: displayPrefix(t.secret),
      scopes: [...new Set(t.scopes)].sort().join(","),
      teamId: t.teamId,
      expiresAt: t.expiresAt,
      createdById: t.createdById,
    },
  });
  await audit({
    action: "token.create",
    targetType: "user",
    targetId: t.userId,
    summary: `API token “${t.name}” created (${token.prefix}…)`,
    after: {
      tokenId: token.id,
      name: t.name,
      prefix: token.prefix,
      scopes: token.scopes,
      teamId: token.teamId,
      expiresAt: t.expiresAt.toISOString(),
    },
  });
  return token;
}
