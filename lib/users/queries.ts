import "server-only";
import { db } from "@/lib/db/client";
import { requirePermission, type Actor } from "@/lib/authz/policy";
import type { UserView } from "@/lib/users/list-view";
import { pageWindow } from "@/lib/tables/table-params";

/** One page of people, active ones first, in the order the view names. */
export async function listUsers(actor: Actor | null, view: UserView) {
  requirePermission(actor, "user:read");
  const dir = view.desc ? "desc" : "asc";
  const [total, users] = await Promise.all([
    db.user.count(),
    db.user.findMany({
      orderBy: [
        { isActive: "desc" },
        view.sort === "lastSignInAt" ? { lastSignInAt: { sort: dir, nulls: "last" } } : { [view.sort]: dir },
        { id: "asc" },
      ],
      ...pageWindow(view),
      select: {
        id: true,
        email: true,
        name: true,
        role: true,
        isActive: true,
        isDemo: true,
        lockedUntil: true,
        lastSignInAt: true,
        team: { select: { id: true, name: true } },
        // The latest API-security training attended (training records).
        trainings: {
          where: { session: { isApiSecurity: true } },
          orderBy: { session: { heldOn: "desc" } },
          take: 1,
          select: { session: { select: { heldOn: true } } },
        },
      },
    }),
  ]);
  const now = new Date();
  const rows = users.map(({ trainings, ...u }) => ({
    ...u,
    isLocked: !!u.lockedUntil && u.lockedUntil > now,
    lastSignInAt: u.lastSignInAt?.toISOString() ?? null,
    lockedUntil: u.lockedUntil?.toISOString() ?? null,
    lastTrainedOn: trainings[0]?.session.heldOn.toISOString().slice(0, 10) ?? null,
  }));
  return { total, rows };
}
export type UserRow = Awaited<ReturnType<typeof listUsers>>["rows"][number];

export async function listTeams(actor: Actor | null) {
  requirePermission(actor, "api:read");
  return db.team.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true } });
}

export async function listTeamsWithCounts(actor: Actor | null) {
  requirePermission(actor, "user:read");
  const teams = await db.team.findMany({
    orderBy: { name: "asc" },
    select: {
      id: true,
      name: true,
      description: true,
      _count: { select: { users: true, apis: { where: { deletedAt: null } } } },
    },
  });
  return teams.map((t) => ({
    id: t.id,
    name: t.name,
    description: t.description,
    users: t._count.users,
    apis: t._count.apis,
  }));
}

/** A new installation: nobody can sign in with a password yet (no active administrator). */
export async function needsFirstAdmin(): Promise<boolean> {
  return (await db.user.count({ where: { role: "ADMIN", isActive: true } })) === 0;
}

export async function hasDemoAccounts(): Promise<boolean> {
  return (await db.user.count({ where: { isDemo: true, isActive: true } })) > 0;
}

/** Who a person is, for a page about them (admins' view of one person's sessions and tokens). */
export async function getUserName(actor: Actor | null, id: string) {
  requirePermission(actor, "user:read");
  return db.user.findUnique({ where: { id }, select: { id: true, name: true, email: true, isActive: true } });
}
