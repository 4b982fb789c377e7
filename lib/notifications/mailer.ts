import "server-only";
import nodemailer from "nodemailer";

// E-mail goes out only when SMTP_URL is set (smtp://user:pass@host:587 or smtps://…). Without it, the
// in-app notification list is the only channel and nothing fails.
export type SmtpConfig = { url: string; from: string };

export function smtpConfig(env: Record<string, string | undefined> = process.env): SmtpConfig | null {
  const url = env.SMTP_URL?.trim();
  if (!url) return null;
  return { url, from: env.SMTP_FROM?.trim() || "ApiLedger <apiledger@localhost>" };
}

/**
 * SMTP_URL, checked at start (npm start, npm run worker) in words that do not repeat it: the URL holds the
 * SMTP password, and one that does not parse would fail each delivery with an error quoting it.
 */
export function checkSmtpUrl(env: Record<string, string | undefined> = process.env): void {
  const url = env.SMTP_URL?.trim();
  if (!url) return;
  const parsed = URL.canParse(url) ? new URL(url) : null;
  if (
    !parsed ||
    !/^[\x21-\x7e]+$/.test(url) ||
    (parsed.protocol !== "smtp:" && parsed.protocol !== "smtps:") ||
    !parsed.hostname
  )
    throw new Error(
      "SMTP_URL is not a valid smtp:// or smtps:// URL. Percent-encode special characters in the user name and password (a # is %23, an @ is %40).",
    );
}

/** One SMTP connection for a delivery run; close it when the run is done. */
export function createMailer(config: SmtpConfig) {
  // Pooled, so a run of reminders reuses a few connections instead of one per message.
  const url = new URL(config.url);
  url.searchParams.set("pool", "true");
  const transport = nodemailer.createTransport(url.toString());
  return {
    send: async (message: { to: string; subject: string; text: string }) => {
      await transport.sendMail({ from: config.from, ...message });
    },
    close: () => transport.close(),
  };
}
