import "server-only";
import { createHash, randomUUID } from "node:crypto";
import { authorizedWrite, type AuditInput } from "@/lib/audit/authorized-write";
import { db, type Tx } from "@/lib/db/client";
import type { Actor, Role } from "@/lib/authz/policy";
import { SESSION_LIMITS, sessionEndReason } from "@/lib/sessions/limits";

export type SessionMethod = "password" | "oidc";

/**
 * How the audit log names a session: a digest of its id, never the id itself (the id is what a signed-in
 * cookie carries; the log is read by auditors and shipped to the SOC). Stable, so entries of one session match.
 */
export const sessionRef = (id: string) => createHash("sha256").update(`session:${id}`).digest("hex").slice(0, 16);
/** "second-factor": the password was right and a second factor is owed; "enrol": one must be enrolled first. */
export type SessionStage = "active" | "second-factor" | "enrol";
export type SessionStart = {
  userId: string;
  method: SessionMethod;
  ip: string;
  userAgent: string;
  stage?: SessionStage;
  /** OpenID Connect amr values (space-separated) and acr, as proven so far. */
  amr?: string;
  acr?: string;
};

/**
 * Opens a session inside the sign-in's own audited write, so there is never a session without its
 * sign-in entry. Returns the id the cookie will carry.
 */
export async function startSession(tx: Tx, start: SessionStart, now = new Date()): Promise<string> {
  const id = randomUUID();
  await tx.userSession.create({
    data: {
      id,
      userId: start.userId,
      method: start.method,
      createdAt: now,
      authenticatedAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + SESSION_LIMITS.absoluteMs),
      ip: start.ip.slice(0, 100),
      userAgent: start.userAgent.slice(0, 300),
      stage: start.stage ?? "active",
      amr: (start.amr ?? "").slice(0, 200),
      acr: (start.acr ?? "").slice(0, 200),
    },
  });
  return id;
}

/**
 * Ends the person's open sessions (all, all but one, or just one) inside the caller's write, with one audit entry
 * saying how many and why. Used by every change after which an old cookie must stop working: a password
 * change or reset, a role change, deactivation, provisioning, an admin's request.
 */
export async function endSessionsOf(
  tx: Tx,
  audit: (entry: AuditInput) => Promise<void>,
  user: { id: string; email: string },
  reason: string,
  options: { exceptId?: string; onlyId?: string; now?: Date } = {},
): Promise<number> {
  const now = options.now ?? new Date();
  const { count } = await tx.userSession.updateMany({
    where: {
      userId: user.id,
      endedAt: null,
      ...(options.exceptId ? { id: { not: options.exceptId } } : {}),
      ...(options.onlyId ? { id: options.onlyId } : {}),
    },
    data: { endedAt: now, endedReason: reason },
  });
  if (count)
    await audit({
      action: "session.end",
      targetType: "user",
      targetId: user.id,
      summary: `${count} session(s) of ${user.email} ended (${reason})`,
      details: { email: user.email, sessions: count, reason },
    });
  return count;
}

export type LiveSession = {
  id: string;
  authenticatedAt: Date;
  stage: SessionStage;
  user: {
    id: string;
    email: string;
    name: string;
    role: Role;
    teamId: string | null;
    mustChangePassword: boolean;
  };
};

/**
 * The session a cookie names, with its person, when it may still be used: not ended, within its absolute
 * and idle limits, its person active. Its last-seen time is written at most once a minute.
 */
export async function liveSession(id: string, ip: string, now = new Date()): Promise<LiveSession | null> {
  const row = await db.userSession.findUnique({
    where: { id },
    include: {
      user: {
        select: {
          id: true,
          email: true,
          name: true,
          role: true,
          teamId: true,
          isActive: true,
          mustChangePassword: true,
        },
      },
    },
  });
  if (!row || !row.user.isActive || sessionEndReason(row, now)) return null;
  if (now.getTime() - row.lastSeenAt.getTime() >= SESSION_LIMITS.touchEveryMs) await touchSession(row, ip, now);
  const { isActive: _active, role, ...user } = row.user;
  return {
    id: row.id,
    authenticatedAt: row.authenticatedAt,
    stage: row.stage as SessionStage,
    user: { ...user, role: role as Role },
  };
}

/**
 * Last seen and from where: bookkeeping on a row whose creation was audited (the sign-in), so it has no
 * entry of its own, like the count on a repeated failure (authorizedWrite, countsOnly).
 */
async function touchSession(
  row: { id: string; userId: string; user: { email: string; role: string; teamId: string | null } },
  ip: string,
  now: Date,
) {
  const actor: Actor = {
    kind: "user",
    id: row.userId,
    email: row.user.email,
    role: row.user.role as Role,
    teamId: row.user.teamId,
  };
  await authorizedWrite(
    { actor, ip },
    { permission: "session:touch", countsOnly: "session:touch", loadTarget: async () => ({ ownerId: row.userId }) },
    async (tx) => {
      await tx.userSession.updateMany({
        where: { id: row.id, endedAt: null },
        data: { lastSeenAt: now, ip: ip.slice(0, 100) },
      });
    },
  );
}

/** Whether a session id still names a usable session (next-auth's session endpoint asks on every renewal). */
export async function isLiveSession(id: string, now = new Date()): Promise<boolean> {
  const row = await db.userSession.findUnique({
    where: { id },
    select: {
      createdAt: true,
      stage: true,
      authenticatedAt: true,
      lastSeenAt: true,
      expiresAt: true,
      endedAt: true,
      user: { select: { isActive: true } },
    },
  });
  return !!row && row.user.isActive && !sessionEndReason(row, now);
}
