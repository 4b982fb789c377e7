// Reminders in the app and by e-mail, against a real SMTP server started by the test.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { startSmtpServer, type ReceivedMail } from "@/lib/testing/smtp-server";
import { isPostgresAvailable, useTestDatabase, type TestDatabase } from "@/lib/testing/test-db";
import { db } from "@/lib/db/client";
import { seedDemo, SYSTEM_ACTOR } from "@/prisma/seed";
import { openCampaign } from "@/lib/reviews/open-campaign";
import { openDueCampaign, runReviewReminders } from "@/lib/reviews/reminders";
import { updateSettings } from "@/lib/settings/update-settings";
import { DEFAULT_SETTINGS } from "@/lib/settings/schemas";
import { EMAIL_CLAIM_MINUTES, deliverPendingEmails } from "@/lib/notifications/deliver";
import { authorizedWrite } from "@/lib/audit/authorized-write";

describe("review reminders", () => {
  let database: TestDatabase;
  let server: Awaited<ReturnType<typeof startSmtpServer>>;
  const received: ReceivedMail[] = [];
  beforeAll(async () => {
    database = await useTestDatabase("sqlite");
    await seedDemo();
    server = await startSmtpServer(received);
  });
  afterAll(async () => {
    delete process.env.SMTP_URL;
    await server?.close();
    await database?.drop();
  });

  it("opens the current quarter's campaign on schedule only when the setting is on, and only once", async () => {
    const now = new Date("2026-07-02T03:00:00Z");
    expect(await openDueCampaign(now)).toBeNull();
    await updateSettings({ actor: SYSTEM_ACTOR }, { ...DEFAULT_SETTINGS, autoOpenCampaigns: 1 });
    expect(await openDueCampaign(now)).toBe("2026-Q3");
    expect(await openDueCampaign(now)).toBeNull();
    await updateSettings({ actor: SYSTEM_ACTOR }, DEFAULT_SETTINGS);
    await db.reviewCampaign.findFirstOrThrow({ where: { quarter: "2026-Q3" } });
  });

  it("without SMTP nothing is e-mailed and nothing fails", async () => {
    delete process.env.SMTP_URL;
    // The 2026-Q3 campaign opened by the schedule above notified its reviewers in the app only.
    const notes = await db.notification.findMany({ where: { kind: "review-assigned" } });
    expect(notes.length).toBeGreaterThan(0);
    expect(notes.every((n) => n.emailStatus === "NONE")).toBe(true);
    expect(await deliverPendingEmails()).toEqual({ sent: 0, failed: 0 });
  });

  it("e-mails reviewers at campaign open, a week before due and when overdue — each once", async () => {
    process.env.SMTP_URL = server.url;
    process.env.SMTP_FROM = "ApiLedger <apiledger@agency.example>";
    const { id } = await openCampaign({ actor: SYSTEM_ACTOR }, { quarter: "2026-Q4", extraApiIds: [] });
    const campaign = await db.reviewCampaign.findUniqueOrThrow({ where: { id } });
    const managerReviews = await db.review.count({
      where: {
        campaignId: id,
        reviewerId: (await db.user.findUniqueOrThrow({ where: { email: "manager@example.com" } })).id,
      },
    });
    expect(managerReviews).toBeGreaterThan(0);

    const first = await deliverPendingEmails();
    expect(first.failed).toBe(0);
    const toManager = received.filter((m) => m.to.includes("manager@example.com"));
    expect(toManager).toHaveLength(managerReviews);
    expect(toManager[0]!.body).toMatch(/New 2026-Q4 access review/);
    expect(toManager[0]!.body).toMatch(/From: ApiLedger <apiledger@agency\.example>/);

    const weekBefore = new Date(campaign.dueOn.getTime() - 3 * 86_400_000);
    const dueSoon = await runReviewReminders(weekBefore);
    expect(dueSoon).toBeGreaterThan(0);
    expect(await runReviewReminders(weekBefore)).toBe(0);
    const overdue = await runReviewReminders(new Date(campaign.dueOn.getTime() + 86_400_000));
    expect(overdue).toBeGreaterThan(0);
    expect(await runReviewReminders(new Date(campaign.dueOn.getTime() + 2 * 86_400_000))).toBe(0);
    received.length = 0;
    const second = await deliverPendingEmails();
    expect(second.sent).toBe(dueSoon + overdue);
    expect(received.some((m) => /Overdue: the 2026-Q4 review of/.test(m.body))).toBe(true);
    expect(await db.notification.count({ where: { emailStatus: "PENDING" } })).toBe(0);
    expect(await db.auditEntry.count({ where: { action: "notification.email" } })).toBe(2);
  });
});

// Issue 18: with two instances, 15 reminders sent 30 e-mails — each run read the queue outside any
// transaction. A run now sends only what its own claim took.
for (const provider of ["sqlite", "postgres"] as const) {
  describe.runIf(provider === "sqlite" || (await isPostgresAvailable()))(`e-mail delivery on ${provider}`, () => {
    let database: TestDatabase;
    let server: Awaited<ReturnType<typeof startSmtpServer>>;
    const received: ReceivedMail[] = [];
    beforeAll(async () => {
      database = await useTestDatabase(provider);
      await seedDemo();
      server = await startSmtpServer(received);
      process.env.SMTP_URL = server.url;
    });
    afterAll(async () => {
      delete process.env.SMTP_URL;
      await server?.close();
      await database?.drop();
    });

    it("runs at once in separate processes (two instances and the cron) send every queued e-mail exactly once", async () => {
      await openCampaign({ actor: SYSTEM_ACTOR }, { quarter: "2026-Q4", extraApiIds: [] });
      const queued = await db.notification.count({ where: { emailStatus: "PENDING" } });
      expect(queued).toBeGreaterThan(3);
      // Three `npm run reviews:remind` processes at once, each delivering what it finds queued.
      const remind = () =>
        new Promise<number | null>((resolve) =>
          spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", "lib/cli/reviews-remind.ts"], {
            env: { ...process.env, DATABASE_URL: database.url },
            stdio: "ignore",
          }).on("exit", resolve),
        );
      expect(await Promise.all([remind(), remind(), remind()])).toEqual([0, 0, 0]);
      // In-process runs at once too (an immediate security alert beside the hourly run).
      await Promise.all([deliverPendingEmails(2), deliverPendingEmails(2)]);
      const sent = await db.notification.count({ where: { emailStatus: "SENT" } });
      expect(sent).toBeGreaterThanOrEqual(queued);
      expect(await db.notification.count({ where: { emailStatus: { in: ["PENDING", "SENDING"] } } })).toBe(0);
      expect(received).toHaveLength(sent);
    });

    it("an e-mail claimed by a run that stopped is sent after the claim lapses, not before", async () => {
      received.length = 0;
      const [note] = await db.notification.findMany({ where: { emailStatus: "SENT" }, take: 1 });
      // As a run killed after its claim leaves it: SENDING, claimed now.
      const claim = (at: Date) =>
        authorizedWrite({ actor: SYSTEM_ACTOR }, { permission: "notification:deliver" }, async (tx, audit) => {
          await tx.notification.update({
            where: { id: note!.id },
            data: { emailStatus: "SENDING", emailClaimedAt: at },
          });
          await audit({ action: "notification.email-claim", targetType: "notification", targetId: note!.id });
        });
      await claim(new Date());
      expect(await deliverPendingEmails()).toEqual({ sent: 0, failed: 0 });
      await claim(new Date(Date.now() - (EMAIL_CLAIM_MINUTES + 1) * 60_000));
      expect(await deliverPendingEmails()).toEqual({ sent: 1, failed: 0 });
      expect(received).toHaveLength(1);
    });
  });
}
