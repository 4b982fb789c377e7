import "server-only";
import { authorizedWrite } from "@/lib/audit/authorized-write";
import { db } from "@/lib/db/client";
import { oidcConfig, roleFromClaims } from "@/lib/auth/oidc";
import type { Role } from "@/lib/authz/policy";
import { storable } from "@/lib/auth/failure-record";
import { endSessionsOf, sessionRef, startSession } from "@/lib/sessions/session-state";
import { mfaSettings } from "@/lib/mfa/queries";
import { secondFactorRequired } from "@/lib/mfa/requirement";

// amr values (RFC 8176) that say a second factor was used at the identity provider.
const MFA_AMR = new Set(["mfa", "otp", "hwk", "sc", "sms", "tel", "swk"]);

/** The provider's amr (as a space-separated list) and acr claims, bounded. */
function authenticationClaims(claims: Record<string, unknown>) {
  const amr = (Array.isArray(claims.amr) ? claims.amr : [])
    .filter((v): v is string => typeof v === "string")
    .map((v) => v.replace(/[^\w.:-]/g, "").slice(0, 40))
    .filter(Boolean)
    .slice(0, 10);
  const acr = typeof claims.acr === "string" ? claims.acr.replace(/[^\w.:/-]/g, "").slice(0, 200) : "";
  const mfa = amr.some((v) => MFA_AMR.has(v.toLowerCase()));
  return { amr: [...amr, ...(mfa && !amr.includes("mfa") ? ["mfa"] : [])].join(" "), acr, mfa };
}

/**
 * Just-in-time account for a single sign-on user: created on first sign-in, its role refreshed from the
 * identity provider's groups on every sign-in (so removing someone from a group takes effect at their
 * next sign-in). Accounts deactivated by an admin stay deactivated; accounts with a password of their
 * own that the provider does not manage (SCIM) are not the provider's to sign in to. A person the second-factor
 * requirement covers must have used one at the provider (its amr claim), unless an admin trusts the provider.
 */
export async function signInWithOidc(
  claims: Record<string, unknown>,
  ip = "local",
  userAgent = "",
): Promise<{ ok: true; userId: string; role: Role; sessionId: string } | { ok: false; error: string }> {
  const config = oidcConfig();
  const email = String(claims.email ?? "")
    .trim()
    .toLowerCase();
  const system = { kind: "system" as const, id: null, email: email || "oidc" };
  const role = config ? roleFromClaims(claims, config) : null;
  const existing = email ? await db.user.findUnique({ where: { email } }) : null;
  const proof = authenticationClaims(claims);
  const mfa = await mfaSettings();
  const reason = !email
    ? "no email claim"
    : claims.email_verified === false
      ? "e-mail not verified by the identity provider"
      : !role
        ? "no group mapped to a role"
        : existing && !existing.isActive
          ? "account deactivated"
          : existing?.isServiceAccount
            ? "a service account"
            : // An account with a password of its own is ApiLedger's, not the provider's to sign in to
              // (and re-role): the provider would otherwise take it over by naming its e-mail.
              existing?.passwordHash && !existing.provisionedAt
              ? "the account signs in with its own password"
              : !proof.mfa && mfa.oidcClaim === "required" && secondFactorRequired(role, mfa.requiredFor)
                ? "no second factor claimed by the identity provider"
                : "";

  return authorizedWrite({ actor: system, ip }, { permission: "auth:record-sign-in" }, async (tx, audit) => {
    await tx.signInEvent.create({
      data: { email: email || "(none)", userId: existing?.id ?? null, success: !reason, reason, ip, userAgent: "oidc" },
    });
    if (reason) {
      await audit({
        action: "auth.sign-in-failed",
        targetType: "user",
        targetId: existing?.id ?? email,
        summary: `Single sign-on refused for ${email || "unknown"} (${reason})`,
        details: { email, reason, method: "oidc", amr: proof.amr, acr: proof.acr },
      });
      const error =
        reason === "no group mapped to a role"
          ? "NoRole"
          : reason.startsWith("no second factor")
            ? "MfaRequired"
            : reason === "the account signs in with its own password"
              ? "PasswordAccount"
              : "AccessDenied";
      return { ok: false as const, error };
    }
    const name = String(claims.name ?? email);
    const user = existing
      ? await tx.user.update({
          where: { id: existing.id },
          data: { role: role!, name, lastSignInAt: new Date(), failedSignIns: 0 },
        })
      : await tx.user.create({ data: { email, name, role: role!, lastSignInAt: new Date() } });
    // A role the identity provider changed ends the sessions opened under the old one.
    if (existing && existing.role !== role)
      await endSessionsOf(tx, audit, user, "role changed by the identity provider");
    if (!existing || existing.role !== role) {
      await audit({
        action: existing ? "user.role-change" : "user.create",
        targetType: "user",
        targetId: user.id,
        summary: existing
          ? `Role of ${email} set to ${role} from the identity provider`
          : `Created ${email} (${role}) at first single sign-on`,
        before: existing ? { role: existing.role } : null,
        after: { email, name, role },
      });
    }
    const sessionId = await startSession(tx, {
      userId: user.id,
      method: "oidc",
      ip,
      userAgent: storable(userAgent, 300),
      amr: proof.amr,
      acr: proof.acr,
    });
    await audit({
      action: "auth.sign-in",
      targetType: "user",
      targetId: user.id,
      summary: `Signed in with single sign-on: ${email}`,
      details: { email, method: "oidc", role, session: sessionRef(sessionId), amr: proof.amr, acr: proof.acr },
    });
    return { ok: true as const, userId: user.id, role: role!, sessionId };
  });
}
