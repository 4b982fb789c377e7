import type { Metadata } from "next";
import Link from "next/link";
import { requireActor } from "@/lib/auth/current-actor";
import { listMyNotifications } from "@/lib/notifications/queries";
import { MarkAllReadButton } from "@/components/layout/mark-all-read-button";

export const metadata: Metadata = { title: "Notifications" };

const EMAIL = {
  NONE: "",
  PENDING: "e-mail queued",
  SENDING: "e-mail being sent",
  SENT: "e-mailed",
  FAILED: "e-mail failed",
} as Record<string, string>;

export default async function NotificationsPage() {
  const actor = await requireActor();
  const items = await listMyNotifications(actor);
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Notifications</h1>
          <p>
            Reminders about your access reviews: when one is assigned, a week before it is due, and when it is overdue.
          </p>
        </div>
        {items.some((i) => !i.read) ? <MarkAllReadButton /> : null}
      </div>
      {items.length === 0 ? <p className="muted">Nothing yet.</p> : null}
      <ul className="stack" style={{ listStyle: "none", padding: 0, gap: "0.5rem" }}>
        {items.map((n) => (
          <li
            key={n.id}
            className="card"
            style={{ padding: "0.6rem 0.8rem", borderLeft: n.read ? undefined : "4px solid var(--brand)" }}
          >
            <Link href={n.link || "/"}>{n.text}</Link>
            <div className="small muted">
              {n.createdAt.replace("T", " ").slice(0, 16)} UTC{n.read ? "" : " · unread"}
              {EMAIL[n.emailStatus] ? ` · ${EMAIL[n.emailStatus]}` : ""}
            </div>
          </li>
        ))}
      </ul>
    </>
  );
}
