// Reminders in the app and by e-mail, against a real SMTP server started by the test.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SMTPServer } from "smtp-server";
import { useTestDatabase, type TestDatabase } from "@/lib/testing/test-db";
import { db } from "@/lib/db/client";
import { seedDemo, SYSTEM_ACTOR } from "@/prisma/seed";
import { openCampaign } from "@/lib/reviews/open-campaign";
import { openDueCampaign, runReviewReminders } from "@/lib/reviews/reminders";
import { updateSettings } from "@/lib/settings/update-settings";
import { DEFAULT_SETTINGS } from "@/lib/settings/schemas";
import { deliverPendingEmails } from "@/lib/notifications/deliver";

type Mail = { to: string[]; body: string };

describe("review reminders", () => {
  let database: TestDatabase;
  let server: SMTPServer;
  const received: Mail[] = [];
  beforeAll(async () => {
    database = await useTestDatabase("sqlite");
    await seedDemo();
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS", "AUTH"],
      onData(stream, session, callback) {
        let body = "";
        stream.on("data", (chunk: Buffer) => (body += chunk.toString()));
        stream.on("end", () => {
          received.push({ to: session.envelope.rcptTo.map((r) => r.address), body });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  });
  afterAll(async () => {
    delete process.env.SMTP_URL;
    await new Promise<void>((resolve) => server.close(() => resolve()));
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
    const address = server.server.address() as { port: number };
    process.env.SMTP_URL = `smtp://127.0.0.1:${address.port}`;
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
