import "server-only";
import { authorizedWrite, nothingToWrite } from "@/lib/audit/authorized-write";
import { db } from "@/lib/db/client";
import { createMailer, smtpConfig } from "@/lib/notifications/mailer";
import type { Actor } from "@/lib/authz/policy";

const SYSTEM: Actor = { kind: "system", id: null, email: "mailer@apiledger" };

/**
 * How long a delivery run's claim on its e-mails holds. A run that stopped (its process killed) before
 * it recorded what it sent leaves them SENDING; after this they are sent by the next run, so an e-mail
 * the stopped run had handed to the SMTP server goes out twice rather than one never going out.
 */
export const EMAIL_CLAIM_MINUTES = 15;

/** E-mails no run is sending: queued ones, and those whose run's claim lapsed. */
const unclaimed = (now: Date) => ({
  OR: [
    { emailStatus: "PENDING" },
    { emailStatus: "SENDING", emailClaimedAt: { lt: new Date(now.getTime() - EMAIL_CLAIM_MINUTES * 60_000) } },
  ],
});

/**
 * Sends queued notification e-mails and records the outcome of each (audited as one delivery run).
 * Runs at once — in two instances, in an instance and the `reviews:remind` cron, or in one process —
 * each send only the e-mails their own claim took: every e-mail goes out once.
 */
export async function deliverPendingEmails(limit = 200): Promise<{ sent: number; failed: number }> {
  const config = smtpConfig();
  if (!config) return { sent: 0, failed: 0 };
  const now = new Date();
  // A read first, so an hourly run with nothing to send writes nothing.
  if (!(await db.notification.count({ where: unclaimed(now) }))) return { sent: 0, failed: 0 };
  const pending = await claimEmails(now, limit);
  if (!pending.length) return { sent: 0, failed: 0 };
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
    // Only while the claim is still this run's: after a lapse another run may have taken the e-mail.
    for (const o of outcomes)
      await tx.notification.updateMany({
        where: { id: o.id, emailStatus: "SENDING", emailClaimedAt: now },
        data: { emailStatus: o.status, emailError: o.error },
      });
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

/**
 * Takes up to `limit` unclaimed e-mails for this run, in a write that runs alone among writes (on every
 * instance: lib/audit/authorized-write.ts), so no other run can take the same ones.
 */
async function claimEmails(now: Date, limit: number) {
  return authorizedWrite({ actor: SYSTEM }, { permission: "notification:deliver" }, async (tx, audit) => {
    const pending = await tx.notification.findMany({
      where: unclaimed(now),
      orderBy: { createdAt: "asc" },
      take: limit,
    });
    // Another run took them between the count and this write.
    if (!pending.length) return nothingToWrite(pending);
    await tx.notification.updateMany({
      where: { id: { in: pending.map((p) => p.id) } },
      data: { emailStatus: "SENDING", emailClaimedAt: now },
    });
    await audit({
      action: "notification.email-claim",
      targetType: "notification",
      targetId: "batch",
      summary: `Claimed ${pending.length} e-mail(s) to send`,
      details: { ids: pending.map((p) => p.id) },
    });
    return pending;
  });
}
