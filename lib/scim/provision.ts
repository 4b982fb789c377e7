import "server-only";
import { z } from "zod";
import { authorizedWrite, type AuditInput, type WriteContext } from "@/lib/audit/authorized-write";
import { ROLES, requireRolePermission, type Role } from "@/lib/authz/policy";
import { parseRoleMap } from "@/lib/auth/oidc";
import type { Tx } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { parseOrThrow } from "@/lib/input/validation";
import { endSessionsOf } from "@/lib/sessions/session-state";
import { revokeTokensOf } from "@/lib/tokens/revoke-token";
import { recordUserChange } from "@/lib/users/update-user";

// What the identity provider changes through SCIM, as audited writes. People are matched by e-mail (the
// key ApiLedger and single sign-on share). Groups map to roles through OIDC_ROLE_MAP, as single sign-on's
// groups claim does, and to teams by name; a person's role and team follow their groups at every change.
// Removing a person (DELETE) deactivates the account for the audit trail: sessions end and tokens are
// revoked at once, and SCIM no longer shows it.
//
// What the provider may change: the accounts it manages (User.provisionedAt) — those it created, and those
// that sign in through it alone, which it takes over at its first write; they stay its own if an admin
// later gives them a password (but the provider no longer moves their e-mail). An account with a password
// of its own that the provider does not manage is ApiLedger's: the provider sees it (so it matches rather than duplicates) and may set its name, but
// not its e-mail, activity, role or team, nor remove it; an admin does that on Users. The account of the
// token SCIM calls with is never changed either, so the provider can never lock ApiLedger's admins out.

const SOURCE = "the identity provider (SCIM)";
/** A provisioned person in no group that maps to a role: the least a person can be. */
export const DEFAULT_SCIM_ROLE: Role = "SYSTEM_OWNER";

const ZText = (max: number) => z.string().trim().max(max, `At most ${max} characters.`);
export const ZScimPerson = z.object({
  userName: ZText(320).min(1, "userName is required."),
  email: z.email("userName or a primary e-mail must be an e-mail address.").max(320).toLowerCase(),
  name: ZText(200).min(1, "A name (displayName, name.formatted or name parts) is required."),
  active: z.boolean().nullable(),
  externalId: ZText(200).nullable(),
});
export type ScimPerson = z.infer<typeof ZScimPerson>;

export const ZScimGroup = z.object({
  displayName: ZText(200).min(1, "displayName is required."),
  externalId: ZText(200).nullable(),
  memberIds: z.array(z.string().max(64)).max(100_000),
});
export type ScimGroupInput = z.infer<typeof ZScimGroup>;

const provisionCheck = { permission: "user:provision" as const };

type Account = { id: string; email: string; passwordHash: string | null; provisionedAt: Date | null };

/** Why the provider may not change this account's e-mail, activity, role or team (null: it may). */
function keptFromProvider(account: Account, tokenOwnerId: string | null): string | null {
  if (account.id === tokenOwnerId)
    return `${account.email} is the account of the token the identity provider calls with; change it in ApiLedger.`;
  if (!account.provisionedAt && account.passwordHash)
    return `${account.email} signs in with a password and is managed in ApiLedger; an admin changes it on Users.`;
  return null;
}

/** The provider's first write to an account that signs in through it alone: the account becomes its. */
async function takeOver(tx: Tx, audit: (e: AuditInput) => Promise<void>, account: Account, now: Date) {
  if (account.provisionedAt || account.passwordHash) return;
  await tx.user.update({ where: { id: account.id }, data: { provisionedAt: now } });
  await audit({
    action: "user.provision",
    targetType: "user",
    targetId: account.id,
    summary: `${account.email} is managed by ${SOURCE} from now on`,
    after: { provisionedAt: now.toISOString() },
  });
}

/** Defence in depth: whatever the provider does, an active administrator remains. */
async function keepAnAdmin(tx: Tx) {
  const admins = await tx.user.count({ where: { role: "ADMIN", isActive: true, isServiceAccount: false } });
  if (!admins) throw new AppError("FORBIDDEN", "That would leave ApiLedger without an active administrator.");
}

/** userName is unique (RFC 7643 §4.1.1), against other people's user names and e-mails alike. */
async function userNameFree(tx: Tx, userName: string, id: string | null) {
  const other = await tx.user.findFirst({
    where: {
      OR: [{ scimUserName: userName }, { email: userName.toLowerCase() }],
      deprovisionedAt: null,
      ...(id ? { NOT: { id } } : {}),
    },
    select: { id: true },
  });
  if (other) throw new AppError("CONFLICT", `Another person already has the userName ${userName}.`);
}

/** Creates (no id) or replaces (PUT, or a PATCH applied) a person; returns their id. */
export async function provisionUser(ctx: WriteContext, id: string | null, raw: unknown): Promise<string> {
  requireRolePermission(ctx.actor, "user:provision");
  const input = parseOrThrow(ZScimPerson, raw);
  return authorizedWrite(ctx, provisionCheck, async (tx, audit) => {
    const now = new Date();
    const sameEmail = await tx.user.findUnique({ where: { email: input.email } });
    if (!id) {
      if (sameEmail && !sameEmail.deprovisionedAt)
        throw new AppError("CONFLICT", `A person with the e-mail ${input.email} already exists.`);
      await userNameFree(tx, input.userName, sameEmail?.id ?? null);
      const data = {
        name: input.name,
        isActive: input.active ?? true,
        scimExternalId: input.externalId,
        scimUserName: input.userName,
        provisionedAt: now,
      };
      if (sameEmail) {
        // Removed earlier and provisioned again (a returning person, or an address given to someone new):
        // the same account comes back for the audit trail, but nothing it could do before — the least
        // role, no team, no password, no second factors, no tokens (revoked at removal); groups say more.
        await tx.mfaFactor.deleteMany({ where: { userId: sameEmail.id } });
        await tx.recoveryCode.deleteMany({ where: { userId: sameEmail.id } });
        const after = await tx.user.update({
          where: { id: sameEmail.id },
          data: {
            ...data,
            deprovisionedAt: null,
            role: DEFAULT_SCIM_ROLE,
            teamId: null,
            passwordHash: null,
            mustChangePassword: false,
            failedSignIns: 0,
            lockedUntil: null,
          },
        });
        await audit(entry("user.provision", after, `Provisioned ${after.email} again by ${SOURCE}`));
        await recordUserChange(tx, audit, sameEmail, after, ctx.actor.id, SOURCE);
        await keepAnAdmin(tx);
        return after.id;
      }
      const created = await tx.user.create({ data: { ...data, email: input.email, role: DEFAULT_SCIM_ROLE } });
      await audit(entry("user.create", created, `Created ${created.email} (${created.role}) by ${SOURCE}`));
      return created.id;
    }
    const before = await provisioned(tx, id);
    if (sameEmail && sameEmail.id !== id)
      throw new AppError("CONFLICT", `A person with the e-mail ${input.email} already exists.`);
    await userNameFree(tx, input.userName, id);
    const kept = keptFromProvider(before, ctx.actor.id);
    const active = input.active ?? before.isActive;
    if (kept && (input.email !== before.email || active !== before.isActive)) throw new AppError("FORBIDDEN", kept);
    // A password stays with the identity it was set for: the provider does not move it to another e-mail.
    if (before.passwordHash && input.email !== before.email)
      throw new AppError("FORBIDDEN", `${before.email} has a password of its own; an admin changes its e-mail.`);
    if (!kept) await takeOver(tx, audit, before, now);
    const after = await tx.user.update({
      where: { id },
      data: {
        email: input.email,
        name: input.name,
        isActive: active,
        scimExternalId: input.externalId,
        scimUserName: input.userName,
      },
    });
    if (before.email !== after.email)
      await endSessionsOf(tx, audit, after, `e-mail changed by the identity provider from ${before.email}`);
    await recordUserChange(tx, audit, before, after, ctx.actor.id, SOURCE);
    await keepAnAdmin(tx);
    return after.id;
  });
}

/** DELETE: the account is deactivated and hidden from SCIM; its sessions end and its tokens are revoked. */
export async function deprovisionUser(ctx: WriteContext, id: string): Promise<void> {
  requireRolePermission(ctx.actor, "user:provision");
  await authorizedWrite(ctx, provisionCheck, async (tx, audit) => {
    const kept = keptFromProvider(await provisioned(tx, id), ctx.actor.id);
    if (kept) throw new AppError("FORBIDDEN", kept);
    await tx.scimGroupMember.deleteMany({ where: { userId: id } });
    const after = await tx.user.update({ where: { id }, data: { isActive: false, deprovisionedAt: new Date() } });
    await audit(entry("user.deprovision", after, `Removed ${after.email} by ${SOURCE}`));
    await endSessionsOf(tx, audit, after, "removed by the identity provider");
    await revokeTokensOf(tx, audit, after, ctx.actor.id, "removed by the identity provider");
    await keepAnAdmin(tx);
  });
}

/** Creates (no id) or replaces a group and its members; the members' roles and teams follow. */
export async function provisionGroup(ctx: WriteContext, id: string | null, raw: unknown): Promise<string> {
  requireRolePermission(ctx.actor, "user:provision");
  const input = parseOrThrow(ZScimGroup, raw);
  return authorizedWrite(ctx, provisionCheck, async (tx, audit) => {
    const clash = await tx.scimGroup.findUnique({ where: { displayName: input.displayName } });
    if (clash && clash.id !== id) throw new AppError("CONFLICT", `A group named ${input.displayName} already exists.`);
    const memberIds = [...new Set(input.memberIds)];
    const known = await tx.user.findMany({
      where: { id: { in: memberIds }, deprovisionedAt: null, isServiceAccount: false },
      select: { id: true },
    });
    if (known.length !== memberIds.length)
      throw new AppError("VALIDATION", "A member is not a provisioned person.", { members: ["Unknown member id."] });
    const before = id
      ? await tx.scimGroup.findUnique({ where: { id }, include: { members: { select: { userId: true } } } })
      : null;
    if (id && !before) throw new AppError("NOT_FOUND", "No such group.");
    const group = before
      ? await tx.scimGroup.update({
          where: { id: before.id },
          data: { displayName: input.displayName, externalId: input.externalId },
        })
      : await tx.scimGroup.create({ data: { displayName: input.displayName, externalId: input.externalId } });
    const old = new Set(before?.members.map((m) => m.userId) ?? []);
    const added = memberIds.filter((m) => !old.has(m));
    const removed = [...old].filter((m) => !memberIds.includes(m));
    if (removed.length) await tx.scimGroupMember.deleteMany({ where: { groupId: group.id, userId: { in: removed } } });
    if (added.length)
      await tx.scimGroupMember.createMany({ data: added.map((userId) => ({ groupId: group.id, userId })) });
    await audit({
      action: before ? "group.update" : "group.create",
      targetType: "scim-group",
      targetId: group.id,
      summary: `${before ? "Updated" : "Created"} group ${group.displayName} by ${SOURCE} (+${added.length} −${removed.length} members)`,
      before: before ? { displayName: before.displayName, members: before.members.length } : null,
      after: { displayName: group.displayName, members: memberIds.length },
    });
    // A renamed group can change what it maps to, so every member is looked at again.
    await applyGroups(tx, audit, ctx.actor.id, [...new Set([...memberIds, ...removed])]);
    await keepAnAdmin(tx);
    return group.id;
  });
}

export async function deleteGroup(ctx: WriteContext, id: string): Promise<void> {
  requireRolePermission(ctx.actor, "user:provision");
  await authorizedWrite(ctx, provisionCheck, async (tx, audit) => {
    const group = await tx.scimGroup.findUnique({ where: { id }, include: { members: { select: { userId: true } } } });
    if (!group) throw new AppError("NOT_FOUND", "No such group.");
    await tx.scimGroup.delete({ where: { id } });
    await audit({
      action: "group.delete",
      targetType: "scim-group",
      targetId: id,
      summary: `Deleted group ${group.displayName} by ${SOURCE}`,
      before: { displayName: group.displayName, members: group.members.length },
    });
    await applyGroups(
      tx,
      audit,
      ctx.actor.id,
      group.members.map((m) => m.userId),
    );
    await keepAnAdmin(tx);
  });
}

/**
 * Sets each person's role and team from their groups: the most privileged role any group maps to
 * (OIDC_ROLE_MAP), else DEFAULT_SCIM_ROLE; the team named like one of their groups, else none. Service
 * accounts are never members. A role change ends the person's sessions (recordUserChange). Accounts kept
 * from the provider (keptFromProvider) stay members, with their role and team as ApiLedger set them.
 */
async function applyGroups(tx: Tx, audit: (e: AuditInput) => Promise<void>, byId: string | null, userIds: string[]) {
  if (!userIds.length) return;
  const roleMap = parseRoleMap(process.env.OIDC_ROLE_MAP ?? "");
  const teams = await tx.team.findMany({ select: { id: true, name: true } });
  const teamByName = new Map(teams.map((t) => [t.name.toLowerCase(), t.id]));
  const people = await tx.user.findMany({
    where: { id: { in: userIds } },
    include: { scimGroups: { include: { group: { select: { displayName: true } } } } },
  });
  const now = new Date();
  for (const person of people) {
    if (keptFromProvider(person, byId)) continue;
    await takeOver(tx, audit, person, now);
    const names = person.scimGroups.map((m) => m.group.displayName).sort();
    const roles = names.map((n) => roleMap[n]).filter((r): r is Role => !!r);
    const role = ROLES.find((r) => roles.includes(r)) ?? DEFAULT_SCIM_ROLE;
    const teamId = names.map((n) => teamByName.get(n.toLowerCase())).find(Boolean) ?? null;
    if (role === person.role && teamId === person.teamId) continue;
    const after = await tx.user.update({ where: { id: person.id }, data: { role, teamId } });
    await recordUserChange(tx, audit, person, after, byId, SOURCE);
  }
}

async function provisioned(tx: Tx, id: string) {
  const user = await tx.user.findFirst({ where: { id, deprovisionedAt: null, isServiceAccount: false } });
  if (!user) throw new AppError("NOT_FOUND", "No such person.");
  return user;
}

function entry(action: string, user: { id: string; email: string; name: string; role: string }, summary: string) {
  return {
    action,
    targetType: "user",
    targetId: user.id,
    summary,
    after: { email: user.email, name: user.name, role: user.role },
  };
}
