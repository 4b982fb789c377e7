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

const SOURCE = "the identity provider (SCIM)";
/** A provisioned person in no group that maps to a role: the least a person can be. */
export const DEFAULT_SCIM_ROLE: Role = "SYSTEM_OWNER";

const ZText = (max: number) => z.string().trim().max(max, `At most ${max} characters.`);
export const ZScimPerson = z.object({
  userName: ZText(320).min(1, "userName is required."),
  email: z.email("userName or a primary e-mail must be an e-mail address.").max(320).toLowerCase(),
  name: ZText(200).min(1, "A name (displayName, name.formatted or name parts) is required."),
  active: z.boolean(),
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

/** Creates (no id) or replaces (PUT, or a PATCH applied) a person; returns their id. */
export async function provisionUser(ctx: WriteContext, id: string | null, raw: unknown): Promise<string> {
  requireRolePermission(ctx.actor, "user:provision");
  const input = parseOrThrow(ZScimPerson, raw);
  return authorizedWrite(ctx, provisionCheck, async (tx, audit) => {
    const sameEmail = await tx.user.findUnique({ where: { email: input.email } });
    if (!id) {
      if (sameEmail && !sameEmail.deprovisionedAt)
        throw new AppError("CONFLICT", `A person with the e-mail ${input.email} already exists.`);
      const data = {
        name: input.name,
        isActive: input.active,
        scimExternalId: input.externalId,
        scimUserName: input.userName,
      };
      if (sameEmail) {
        // Removed earlier and provisioned again: the same account comes back, with no old tokens.
        const after = await tx.user.update({ where: { id: sameEmail.id }, data: { ...data, deprovisionedAt: null } });
        await audit(entry("user.provision", after, `Provisioned ${after.email} again by ${SOURCE}`));
        return after.id;
      }
      const created = await tx.user.create({ data: { ...data, email: input.email, role: DEFAULT_SCIM_ROLE } });
      await audit(entry("user.create", created, `Created ${created.email} (${created.role}) by ${SOURCE}`));
      return created.id;
    }
    const before = await provisioned(tx, id);
    if (sameEmail && sameEmail.id !== id)
      throw new AppError("CONFLICT", `A person with the e-mail ${input.email} already exists.`);
    const after = await tx.user.update({
      where: { id },
      data: {
        email: input.email,
        name: input.name,
        isActive: input.active,
        scimExternalId: input.externalId,
        scimUserName: input.userName,
      },
    });
    if (before.email !== after.email)
      await endSessionsOf(tx, audit, after, `e-mail changed by the identity provider from ${before.email}`);
    await recordUserChange(tx, audit, before, after, ctx.actor.id, SOURCE);
    return after.id;
  });
}

/** DELETE: the account is deactivated and hidden from SCIM; its sessions end and its tokens are revoked. */
export async function deprovisionUser(ctx: WriteContext, id: string): Promise<void> {
  requireRolePermission(ctx.actor, "user:provision");
  await authorizedWrite(ctx, provisionCheck, async (tx, audit) => {
    await provisioned(tx, id);
    await tx.scimGroupMember.deleteMany({ where: { userId: id } });
    const after = await tx.user.update({ where: { id }, data: { isActive: false, deprovisionedAt: new Date() } });
    await audit(entry("user.deprovision", after, `Removed ${after.email} by ${SOURCE}`));
    await endSessionsOf(tx, audit, after, "removed by the identity provider");
    await revokeTokensOf(tx, audit, after, ctx.actor.id, "removed by the identity provider");
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
  });
}

/**
 * Sets each person's role and team from their groups: the most privileged role any group maps to
 * (OIDC_ROLE_MAP), else DEFAULT_SCIM_ROLE; the team named like one of their groups, else none. Service
 * accounts are never members. A role change ends the person's sessions (recordUserChange).
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
  for (const person of people) {
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
