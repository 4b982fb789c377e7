import "server-only";
import { authorizedWrite } from "@/lib/audit/authorized-write";
import { db } from "@/lib/db";
import { verifyPassword } from "@/lib/auth/password";
import type { Role } from "@/lib/authz/policy";

export type SignInMeta = { ip: string; userAgent: string };
export type SignedInUser = { id: string; email: string; name: string; role: Role };

export const LOCKOUT_THRESHOLD = Math.max(1, Number(process.env.APILEDGER_LOCKOUT_THRESHOLD ?? 5));
export const LOCKOUT_MINUTES = Math.max(1, Number(process.env.APILEDGER_LOCKOUT_MINUTES ?? 15));

const SYSTEM = (email: string) => ({ kind: "system" as const, id: null, email });

/**
 * Checks a password sign-in. Every attempt — success or failure, known account or not — is recorded
 * with time, account and source address (ISM: alert on failed authentication). After
 * LOCKOUT_THRESHOLD failures in a row the account is locked for LOCKOUT_MINUTES, and during the lock
 * even the right password is refused.
 */
export async function attemptPasswordSignIn(emailRaw: string, password: string, meta: SignInMeta): Promise<SignedInUser | null> {
  const email = emailRaw.trim().toLowerCase().slice(0, 320);
  const user = await db.user.findUnique({ where: { email } });
  const now = new Date();
  const locked = !!user?.lockedUntil && user.lockedUntil > now;
  // Always run the hash, so response time does not reveal whether the account exists or is locked.
  const passwordOk = await verifyPassword(password, user?.passwordHash);
  const reason = !user ? "unknown account" : !user.isActive ? "account deactivated" : locked ? "account locked" : !passwordOk ? "wrong password" : "";
  const success = reason === "";

  await authorizedWrite({ actor: SYSTEM(email), ip: meta.ip }, { action: "auth:record-sign-in" }, async (tx, audit) => {
    await tx.signInEvent.create({ data: { email, userId: user?.id ?? null, success, reason, ip: meta.ip, userAgent: meta.userAgent.slice(0, 300) } });
    let lockedNow = false;
    if (user && success) {
      await tx.user.update({ where: { id: user.id }, data: { failedSignIns: 0, lockedUntil: null, lastSignInAt: now } });
    } else if (user && !locked) {
      const failures = user.failedSignIns + 1;
      lockedNow = failures >= LOCKOUT_THRESHOLD;
      await tx.user.update({
        where: { id: user.id },
        data: { failedSignIns: lockedNow ? 0 : failures, lockedUntil: lockedNow ? new Date(now.getTime() + LOCKOUT_MINUTES * 60_000) : undefined },
      });
    }
    await audit({
      action: success ? "auth.sign-in" : lockedNow ? "auth.lockout" : "auth.sign-in-failed",
      targetType: "user",
      targetId: user?.id ?? email,
      summary: success ? `Signed in: ${email}` : lockedNow ? `Account locked after ${LOCKOUT_THRESHOLD} failed sign-ins: ${email}` : `Failed sign-in for ${email} (${reason})`,
      details: { email, success, reason, method: "password", userAgent: meta.userAgent.slice(0, 300) },
    });
  });

  return success && user ? { id: user.id, email: user.email, name: user.name, role: user.role as Role } : null;
}
