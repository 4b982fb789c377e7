import "server-only";
import { authorizedWrite } from "@/lib/audit/authorized-write";
import { db } from "@/lib/db/client";
import { createMailer, smtpConfig } from "@/lib/notifications/mailer";
import type { Actor } from "@/lib/authz/policy";

const SYSTEM: Actor = { kind: "system", id: null, email: "mailer@apiledger" };

// Runs in this process take turns, so an immediate delivery (a security alert) and the hourly one never
// pick up the same pending rows at once.
let chain: Promise<unknown> = Promise.resolve();

/** Sends queued notification e-mails and records the outcome of each (audited as one delivery run). */
export function deliverPendingEmails(limit = 200): Promise<{ sent: number; failed: number }> {
  const run = chain.then(() => deliverOnce(limit));
  chain = run.catch(() => undefined);
  return run;
}

async function deliverOnce(limit: number): Promise<{ sent: number; failed: number }> {
  const config = smtpConfig();
  if (!config) return { sent: 0, failed: 0 };
  const pending = await db.notification.findMany({
    where: { emailStatus: "PENDING" },
    orderBy: { createdAt: "asc" },
    take: limit,
  });
  if (pending.length === 0) return { sent: 0, failed: 0 };
  const users = new Map(
    (
      await db.user.findMany({
        where: { id: { in: pending.map((p) => p.userId) } },
        select: { id: true, email: true, isActive: true },
      })
    ).map((u) => [u.id, u]),
  );
  const base = process.env.NEXTAUTH_URL ?? "http://localhost:3000";
  const outcomes: { id: string; status: "SENT" | "FAILED"; error: string }[] = [];
  const mailer = createMailer(config);
  for (const n of pending) {
    const user = users.get(n.userId);
    if (!user?.isActive) {
      outcomes.push({ id: n.id, status: "FAILED", error: "recipient inactive" });
      continue;
    }
    try {
      await mailer.send({ to: user.email, subject: `ApiLedger: ${n.text}`, text: `${n.text}\n\n${base}${n.link}\n` });
      outcomes.push({ id: n.id, status: "SENT", error: "" });
    } catch (error) {
      outcomes.push({ id: n.id, status: "FAILED", error: String((error as Error).message).slice(0, 300) });
    }
  }
  mailer.close();
  await authorizedWrite({ actor: SYSTEM }, { permission: "notification:deliver" }, async (tx, audit) => {
    for (const o of outcomes)
      await tx.notification.update({ where: { id: o.id }, data: { emailStatus: o.status, emailError: o.error } });
    const sent = outcomes.filter((o) => o.status === "SENT").length;
    await audit({
      action: "notification.email",
      targetType: "notification",
      targetId: "batch",
      summary: `Sent ${sent} reminder e-mail(s), ${outcomes.length - sent} failed`,
      details: { sent, failed: outcomes.length - sent },
    });
  });
  const sent = outcomes.filter((o) => o.status === "SENT").length;
  return { sent, failed: outcomes.length - sent };
}
