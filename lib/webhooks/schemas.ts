import { z } from "zod";
import { nameRule } from "@/lib/input/validation";

/** The events a webhook can subscribe to, as an admin reads them. */
export const WEBHOOK_EVENTS = {
  "alert.raised": "A failed-authentication alert is raised",
  "review.overdue": "An access review passes its due date",
  "follow-up.overdue": "A follow-up passes its due date",
  "export.finished": "An evidence export is built or fails",
} as const;
export type WebhookEventType = keyof typeof WEBHOOK_EVENTS;
export const WEBHOOK_EVENT_TYPES = Object.keys(WEBHOOK_EVENTS) as [WebhookEventType, ...WebhookEventType[]];

const LOCAL = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** Where a webhook may send: https, or plain http only to this machine (a local relay); no credentials. */
export function webhookUrlProblem(value: string): string | null {
  // Printable ASCII only: no spaces, control or bidirectional characters hiding in what an admin reads.
  if (!/^[\x21-\x7e]+$/.test(value)) return "Use printable ASCII without spaces (percent-encode anything else).";
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "Give a full URL, such as https://hooks.agency.internal/apiledger.";
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && LOCAL.has(url.hostname)))
    return "Use https:// (plain http only to this machine).";
  if (url.username || url.password) return "Leave credentials out of the URL: the signature proves the sender.";
  if (url.hash) return "Leave out the #fragment.";
  // The cloud metadata and link-local range is never a receiver.
  if (/^169\.254\.|^\[fe80:/i.test(url.hostname)) return "Link-local addresses are not receivers.";
  if (!hostAllowed(value))
    return `The operator allows receivers only on ${allowedWebhookHosts()!.join(", ")} (APILEDGER_WEBHOOK_HOSTS).`;
  return null;
}

/**
 * The receiver URL as shown and audited: its origin only, with "/…" when it has a path or query — those
 * of Slack and Teams workflow URLs are bearer secrets.
 */
export function shownUrl(value: string): string {
  const url = new URL(value);
  return url.pathname.length > 1 || url.search ? `${url.origin}/…` : url.origin;
}

/** Operator-set receiver hosts (APILEDGER_WEBHOOK_HOSTS: "hooks.agency.gov.au,*.servicenow.internal"), if any. */
export function allowedWebhookHosts(env: Record<string, string | undefined> = process.env): string[] | null {
  const list = (env.APILEDGER_WEBHOOK_HOSTS ?? "")
    .split(",")
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  return list.length ? list : null;
}

/** Whether the URL's host is one the operator allows (always, when no list is set). */
export function hostAllowed(value: string, allowed = allowedWebhookHosts()): boolean {
  if (!allowed) return true;
  const host = new URL(value).hostname.toLowerCase();
  return allowed.some((h) => (h.startsWith("*.") ? host.endsWith(h.slice(1)) : host === h));
}

export const ZWebhookInput = z.object({
  name: z
    .string()
    .trim()
    .min(1, "Give the webhook a name (where it goes).")
    .max(100, "At most 100 characters.")
    .superRefine(nameRule("Name")),
  url: z
    .string()
    .trim()
    .min(1, "Give the receiver's URL.")
    .max(2000, "At most 2,000 characters.")
    .superRefine((value, ctx) => {
      const problem = webhookUrlProblem(value);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    }),
  events: z
    .array(z.enum(WEBHOOK_EVENT_TYPES, { error: "Unknown event." }))
    .min(1, "Choose at least one event.")
    .max(WEBHOOK_EVENT_TYPES.length),
});
export type TWebhookInput = z.infer<typeof ZWebhookInput>;
