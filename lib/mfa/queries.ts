import "server-only";
import { z } from "zod";
import { db, type DbClient } from "@/lib/db/client";
import { requirePermission, type Actor } from "@/lib/authz/policy";
import { MFA_REQUIREMENTS, MFA_SETTING_DEFAULTS, OIDC_MFA_CLAIMS } from "@/lib/mfa/requirement";

const ZStored = z.object({
  mfaRequiredFor: z.enum(MFA_REQUIREMENTS).catch(MFA_SETTING_DEFAULTS.mfaRequiredFor),
  oidcMfaClaim: z.enum(OIDC_MFA_CLAIMS).catch(MFA_SETTING_DEFAULTS.oidcMfaClaim),
});

/**
 * Who must use a second factor, as stored (defaults when unset or unreadable): read here rather than through
 * lib/settings, whose actions depend on lib/auth. Inside a write, pass its `tx`.
 */
export async function mfaSettings(client: Pick<DbClient, "appSetting"> = db) {
  const rows = await client.appSetting.findMany({
    where: { key: { in: ["mfaRequiredFor", "oidcMfaClaim"] } },
  });
  const stored = Object.fromEntries(rows.map((r) => [r.key, r.value]));
  const parsed = ZStored.parse({ ...MFA_SETTING_DEFAULTS, ...stored });
  return { requiredFor: parsed.mfaRequiredFor, oidcClaim: parsed.oidcMfaClaim };
}

/** A person's second factors and how many recovery codes are left: oneself, or anyone for an admin. */
export async function listFactorsOf(actor: Actor | null, userId: string) {
  const own = actor?.kind === "user" && actor.id === userId;
  requirePermission(actor, own ? "mfa:manage-own" : "mfa:reset-any", { ownerId: userId });
  const [factors, recoveryCodesLeft] = await Promise.all([
    db.mfaFactor.findMany({
      where: { userId, confirmedAt: { not: null } },
      orderBy: { createdAt: "asc" },
      select: { id: true, kind: true, label: true, createdAt: true, lastUsedAt: true },
    }),
    db.recoveryCode.count({ where: { userId, usedAt: null } }),
  ]);
  return {
    factors: factors.map((f) => ({
      id: f.id,
      kind: f.kind === "totp" ? "Authenticator app" : "Passkey",
      label: f.label,
      createdAt: f.createdAt.toISOString(),
      lastUsedAt: f.lastUsedAt?.toISOString() ?? null,
    })),
    recoveryCodesLeft,
  };
}
export type FactorList = Awaited<ReturnType<typeof listFactorsOf>>;

/** Which kinds of second factor a person can give at sign-in. */
export async function secondFactorKindsOf(userId: string) {
  const rows = await db.mfaFactor.findMany({ where: { userId, confirmedAt: { not: null } }, select: { kind: true } });
  const recovery = await db.recoveryCode.count({ where: { userId, usedAt: null } });
  return {
    totp: rows.some((r) => r.kind === "totp"),
    passkey: rows.some((r) => r.kind === "passkey"),
    recovery: recovery > 0,
  };
}
