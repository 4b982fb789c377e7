import "server-only";
import { db } from "@/lib/db/client";
import { requirePermission, type Actor } from "@/lib/authz/policy";
import { deviceLabel } from "@/lib/sessions/device";
import { sessionEndReason } from "@/lib/sessions/limits";

const FACTOR_NAMES: Record<string, string> = { otp: "authenticator app", hwk: "passkey", rec: "recovery code" };

/** How the person proved who they are in the session, in words (from its amr values and stage). */
function methodLabel(s: { method: string; amr: string; stage: string }): string {
  const amr = s.amr.split(" ").filter(Boolean);
  if (s.method === "oidc") return amr.includes("mfa") ? "Single sign-on with MFA" : "Single sign-on";
  const second = amr.map((v) => FACTOR_NAMES[v]).filter(Boolean);
  const base = ["Password", ...second].join(" + ");
  if (s.stage === "second-factor") return `${base} (second factor not given yet)`;
  if (s.stage === "enrol") return `${base} (enrolling a second factor)`;
  return base;
}

/** How far back ended sessions are still listed (to spot one that was not you). */
const ENDED_SHOWN_MS = 30 * 86_400_000;

/**
 * A person's sessions: the open ones first (the caller's own marked), then those ended in the last 30
 * days with why. Oneself, or anyone for an admin.
 */
export async function listSessionsOf(actor: Actor | null, userId: string, now = new Date()) {
  const own = actor?.kind === "user" && actor.id === userId;
  requirePermission(actor, own ? "session:manage-own" : "session:manage-any", { ownerId: userId });
  const rows = await db.userSession.findMany({
    where: {
      userId,
      OR: [{ endedAt: null }, { endedAt: { gte: new Date(now.getTime() - ENDED_SHOWN_MS) } }],
    },
    orderBy: { lastSeenAt: "desc" },
    take: 200,
  });
  const current = actor?.kind === "user" ? actor.session?.id : undefined;
  return rows
    .map((s) => {
      const ended = sessionEndReason(s, now);
      return {
        id: s.id,
        device: deviceLabel(s.userAgent),
        userAgent: s.userAgent,
        ip: s.ip,
        method: methodLabel(s),
        createdAt: s.createdAt.toISOString(),
        lastSeenAt: s.lastSeenAt.toISOString(),
        expiresAt: s.expiresAt.toISOString(),
        isCurrent: s.id === current,
        isOpen: !ended,
        ended: ended === "ended" ? s.endedReason || "ended" : ended,
        endedAt: (s.endedAt ?? (ended ? s.expiresAt : null))?.toISOString() ?? null,
      };
    })
    .sort((a, b) => Number(b.isOpen) - Number(a.isOpen) || Number(b.isCurrent) - Number(a.isCurrent));
}
export type SessionRow = Awaited<ReturnType<typeof listSessionsOf>>[number];
