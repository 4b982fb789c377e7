import "server-only";
import { db } from "@/lib/db/client";
import { requirePermission, type Actor } from "@/lib/authz/policy";
import type { ApiCallView } from "@/lib/rest/list-view";
import { pageWindow, type TablePage } from "@/lib/tables/table-params";

export type ApiCallRow = {
  id: string;
  at: string;
  token: string;
  user: string;
  method: string;
  route: string;
  status: number;
  ip: string;
  durationMs: number;
};

/** REST calls with who made them (audit log readers only), a page at a time. */
export async function listApiCalls(actor: Actor | null, view: ApiCallView): Promise<TablePage<ApiCallRow>> {
  requirePermission(actor, "audit:read");
  const where = view.failedOnly ? { status: { gte: 400 } } : {};
  const [total, calls] = await Promise.all([
    db.apiCallLog.count({ where }),
    db.apiCallLog.findMany({
      where,
      orderBy: [{ at: view.desc ? "desc" : "asc" }, { id: "asc" }],
      ...pageWindow(view),
    }),
  ]);
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
  return {
    total,
    rows: calls.map((c) => ({
      id: c.id,
      at: c.at.toISOString(),
      token: c.tokenId ? (tokenOf.get(c.tokenId) ?? "deleted token") : "session",
      user: c.userId ? (userOf.get(c.userId) ?? "unknown") : "—",
      method: c.method,
      route: c.route,
      status: c.status,
      ip: c.ip,
      durationMs: c.durationMs,
    })),
  };
}
