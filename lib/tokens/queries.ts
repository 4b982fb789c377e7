import "server-only";
import { db } from "@/lib/db/client";
import { requirePermission, type Actor } from "@/lib/authz/policy";

const TOKEN_SELECT = {
  id: true,
  name: true,
  prefix: true,
  scopes: true,
  teamId: true,
  expiresAt: true,
  createdAt: true,
  lastUsedAt: true,
  lastUsedIp: true,
  revokedAt: true,
} as const;

function toDto(
  t: {
    id: string;
    name: string;
    prefix: string;
    scopes: string;
    teamId: string | null;
    expiresAt: Date;
    createdAt: Date;
    lastUsedAt: Date | null;
    lastUsedIp: string;
    revokedAt: Date | null;
  },
  teams: Map<string, string>,
  now: Date,
) {
  return {
    id: t.id,
    name: t.name,
    prefix: t.prefix,
    scopes: t.scopes.split(",").filter(Boolean),
    team: t.teamId ? (teams.get(t.teamId) ?? "deleted team") : null,
    expiresAt: t.expiresAt.toISOString(),
    createdAt: t.createdAt.toISOString(),
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    lastUsedIp: t.lastUsedIp,
    status: t.revokedAt ? ("revoked" as const) : t.expiresAt <= now ? ("expired" as const) : ("active" as const),
  };
}
export type TokenRow = ReturnType<typeof toDto>;

const teamNames = async () =>
  new Map((await db.team.findMany({ select: { id: true, name: true } })).map((t) => [t.id, t.name]));

/** The signed-in person's own tokens. */
export async function listOwnTokens(actor: Actor | null) {
  if (actor?.kind !== "user") return [];
  requirePermission(actor, "token:manage-own", { ownerId: actor.id });
  const [tokens, teams] = await Promise.all([
    db.apiToken.findMany({ where: { userId: actor.id }, orderBy: { createdAt: "desc" }, select: TOKEN_SELECT }),
    teamNames(),
  ]);
  const now = new Date();
  return tokens.map((t) => toDto(t, teams, now));
}

/** Service accounts with their tokens (admins). */
export async function listServiceAccounts(actor: Actor | null) {
  requirePermission(actor, "token:manage-service");
  const [accounts, teams] = await Promise.all([
    db.user.findMany({
      where: { isServiceAccount: true },
      orderBy: { name: "asc" },
      select: {
        id: true,
        name: true,
        role: true,
        teamId: true,
        isActive: true,
        apiTokens: { orderBy: { createdAt: "desc" }, select: TOKEN_SELECT },
      },
    }),
    teamNames(),
  ]);
  const now = new Date();
  return accounts.map((a) => ({
    id: a.id,
    name: a.name,
    role: a.role,
    team: a.teamId ? (teams.get(a.teamId) ?? "") : null,
    isActive: a.isActive,
    tokens: a.apiTokens.map((t) => toDto(t, teams, now)),
  }));
}

/** Every token of one person (admins: a leaver's, a leaked one), newest first. */
export async function listTokensOf(actor: Actor | null, userId: string) {
  requirePermission(actor, "token:revoke-any", { ownerId: userId });
  const [tokens, teams] = await Promise.all([
    db.apiToken.findMany({ where: { userId }, orderBy: { createdAt: "desc" }, select: TOKEN_SELECT }),
    teamNames(),
  ]);
  const now = new Date();
  return tokens.map((t) => toDto(t, teams, now));
}
