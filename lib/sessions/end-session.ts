import "server-only";
import { authorizedWrite, type WriteContext } from "@/lib/audit/authorized-write";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { requireRolePermission, type Actor, type Role } from "@/lib/authz/policy";
import { endSessionsOf, sessionRef } from "@/lib/sessions/session-state";

/** Sign-out: ends the session the cookie names (next-auth's signOut event), as its own person. */
export async function signOutSession(sessionId: string, ip: string): Promise<void> {
  const row = await db.userSession.findUnique({
    where: { id: sessionId },
    select: { endedAt: true, user: { select: { id: true, email: true, role: true, teamId: true } } },
  });
  if (!row || row.endedAt) return;
  const actor: Actor = { kind: "user", ...row.user, role: row.user.role as Role };
  await authorizedWrite(
    { actor, ip },
    { permission: "session:manage-own", loadTarget: async () => ({ ownerId: row.user.id }) },
    async (tx, audit) => {
      await tx.userSession.updateMany({
        where: { id: sessionId, endedAt: null },
        data: { endedAt: new Date(), endedReason: "signed out" },
      });
      await audit({
        action: "auth.sign-out",
        targetType: "user",
        targetId: row.user.id,
        summary: `Signed out: ${row.user.email}`,
        details: { email: row.user.email, session: sessionRef(sessionId) },
      });
    },
  );
}

/**
 * Ends one session: one's own (another browser) or, for an admin, anyone's. The session the request
 * itself came with is ended by signing out instead.
 */
export async function endSession(ctx: WriteContext, sessionId: string): Promise<void> {
  if (ctx.actor.kind !== "user") throw new AppError("FORBIDDEN", "Sessions are ended by a person.");
  const actor = ctx.actor;
  const row = await db.userSession.findUnique({ where: { id: sessionId }, select: { userId: true } });
  const permission = row && row.userId !== actor.id ? "session:manage-any" : "session:manage-own";
  requireRolePermission(actor, permission);
  if (actor.session?.id === sessionId)
    throw new AppError("VALIDATION", "This is the session you are using; sign out to end it.");
  await authorizedWrite(
    ctx,
    {
      permission,
      loadTarget: async (tx) => {
        const s = await tx.userSession.findUnique({ where: { id: sessionId }, select: { userId: true } });
        return s ? { ownerId: s.userId } : null;
      },
    },
    async (tx, audit) => {
      const s = await tx.userSession.findUniqueOrThrow({
        where: { id: sessionId },
        select: { endedAt: true, userAgent: true, ip: true, user: { select: { id: true, email: true } } },
      });
      if (s.endedAt) throw new AppError("CONFLICT", "That session has already ended.");
      const reason = s.user.id === actor.id ? "ended by its person" : `ended by ${actor.email}`;
      await tx.userSession.update({ where: { id: sessionId }, data: { endedAt: new Date(), endedReason: reason } });
      await audit({
        action: "session.end",
        targetType: "user",
        targetId: s.user.id,
        summary: `A session of ${s.user.email} ended (${reason})`,
        details: { email: s.user.email, session: sessionRef(sessionId), ip: s.ip, userAgent: s.userAgent, reason },
      });
    },
  );
}

/**
 * Ends every session of a person but the caller's own: "sign out everywhere else" for oneself, and for
 * an admin every session of someone else (a lost laptop, a suspected theft). Returns how many ended.
 */
export async function endSessionsOfPerson(ctx: WriteContext, userId: string): Promise<number> {
  if (ctx.actor.kind !== "user") throw new AppError("FORBIDDEN", "Sessions are ended by a person.");
  const actor = ctx.actor;
  const permission = userId === actor.id ? "session:manage-own" : "session:manage-any";
  requireRolePermission(actor, permission);
  return authorizedWrite(ctx, { permission, loadTarget: async () => ({ ownerId: userId }) }, async (tx, audit) => {
    const user = await tx.user.findUnique({ where: { id: userId }, select: { id: true, email: true } });
    if (!user) throw new AppError("NOT_FOUND", "That user does not exist.");
    const reason = userId === actor.id ? "signed out everywhere else" : `ended by ${actor.email}`;
    const ended = await endSessionsOf(tx, audit, user, reason, { exceptId: actor.session?.id });
    if (!ended) throw new AppError("CONFLICT", "There are no other open sessions.");
    return ended;
  });
}
