import "server-only";
import { db } from "@/lib/db/client";

// The people and groups SCIM shows, in SCIM's shape (RFC 7643 §4): everyone but service accounts and
// people the identity provider removed. The userName is the provider's when it gave one, else the e-mail
// (the key ApiLedger and single sign-on match on).

const withGroups = { scimGroups: { include: { group: { select: { id: true, displayName: true } } } } } as const;

type UserRow = Awaited<ReturnType<typeof loadUsers>>[number];

function loadUsers(id?: string) {
  return db.user.findMany({
    where: { ...(id ? { id } : {}), deprovisionedAt: null, isServiceAccount: false },
    include: withGroups,
    orderBy: { createdAt: "asc" },
  });
}

export function scimUser(u: UserRow) {
  return {
    id: u.id,
    ...(u.scimExternalId ? { externalId: u.scimExternalId } : {}),
    userName: u.scimUserName ?? u.email,
    name: { formatted: u.name },
    displayName: u.name,
    emails: [{ value: u.email, type: "work", primary: true }],
    active: u.isActive,
    groups: u.scimGroups.map((m) => ({ value: m.group.id, display: m.group.displayName, type: "direct" })),
    meta: { created: u.createdAt, lastModified: u.updatedAt },
  };
}

export async function scimUsers(id?: string) {
  return (await loadUsers(id)).map(scimUser);
}

export async function scimGroups(id?: string) {
  const rows = await db.scimGroup.findMany({
    where: id ? { id } : {},
    include: { members: { include: { user: { select: { id: true, email: true } } } } },
    orderBy: { createdAt: "asc" },
  });
  return rows.map((g) => ({
    id: g.id,
    ...(g.externalId ? { externalId: g.externalId } : {}),
    displayName: g.displayName,
    members: g.members.map((m) => ({ value: m.user.id, display: m.user.email, type: "User" })),
    meta: { created: g.createdAt, lastModified: g.updatedAt },
  }));
}
