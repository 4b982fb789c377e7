import "server-only";
import { db } from "@/lib/db/client";
import type { Actor } from "@/lib/authz/policy";

export async function countUnread(actor: Actor | null): Promise<number> {
  if (!actor || actor.kind !== "user") return 0;
  return db.notification.count({ where: { userId: actor.id, readAt: null } });
}

export async function listMyNotifications(actor: Actor | null, take = 100) {
  if (!actor || actor.kind !== "user") return [];
  const rows = await db.notification.findMany({ where: { userId: actor.id }, orderBy: { createdAt: "desc" }, take });
  return rows.map((n) => ({
    id: n.id,
    kind: n.kind,
    text: n.text,
    link: n.link,
    createdAt: n.createdAt.toISOString(),
    read: !!n.readAt,
    emailStatus: n.emailStatus,
  }));
}
