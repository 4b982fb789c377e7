// npm run reviews:remind — opens the quarter's campaign when automatic opening is on, creates due-soon
// and overdue review reminders and sends queued e-mails
// (the same job `npm start` runs every hour; use this from cron if the server is not always up).
import { openDueCampaign, runReviewReminders } from "@/lib/reviews/reminders";
import { deliverPendingEmails } from "@/lib/notifications/deliver";
import { disconnectDb } from "@/lib/db/client";

const opened = await openDueCampaign();
if (opened) console.log(`Opened the ${opened} access-review campaign.`);
const created = await runReviewReminders();
const { sent, failed } = await deliverPendingEmails();
console.log(`Reminders: ${created} new. E-mails: ${sent} sent, ${failed} failed.`);
await disconnectDb();
