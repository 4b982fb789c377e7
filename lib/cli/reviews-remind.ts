// npm run reviews:remind — creates due-soon and overdue review reminders and sends queued e-mails
// (the same job `npm start` runs every hour; use this from cron if the server is not always up).
import { runReviewReminders } from "@/lib/notifications/reminders";
import { deliverPendingEmails } from "@/lib/notifications/deliver";
import { disconnectDb } from "@/lib/db";

const created = await runReviewReminders();
const { sent, failed } = await deliverPendingEmails();
console.log(`Reminders: ${created} new. E-mails: ${sent} sent, ${failed} failed.`);
await disconnectDb();
