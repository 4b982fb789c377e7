import "server-only";
import { db } from "@/lib/db/client";
import { requirePermission, type Actor } from "@/lib/authz/policy";

/** The latest REST calls with who made them (audit log readers only). */
export async function listApiCalls(actor: Actor | null, options: { failedOnly: boolean; limit?: number }) {
  requirePermission(actor, "audit:read");
  const calls = await db.apiCallLog.findMany({
    where: options.failedOnly ? { status: { gte: 400 } } : {},
    orderBy: { at: "desc" },
    take: options.limit ?? 200,
  });
  const [tokens, users] = await Promise.all([
    db.apiToken.findMany({
      where: { id: { in: [...new Set(calls.map((c) => c.tokenId).filter((v): v is string => !!v))] } },
      select: { id: true, name: true, prefix: true },
    }),
    db.user.findMany({
      where: { id: { in: [...new Set(calls.map((c) => c.userId).filter((v): v is string => !!v))] } },
      select: { id: true, name: true },
    }),
  ]);
  const tokenOf = new Map(tokens.map((t) => [t.id, `${t.name} (${t.prefix}…)`]));
  const userOf = new Map(users.map((u) => [u.id, u.name]));
  return calls.map((c) => ({
    id: c.id,
    at: c.at.toISOString(),
    token: c.tokenId ? (tokenOf.get(c.tokenId) ?? "deleted token") : "session",
    user: c.userId ? (userOf.get(c.userId) ?? "unknown") : "—",
    method: c.method,
    route: c.route,
    status: c.status,
    ip: c.ip,
    durationMs: c.durationMs,
  }));
}
