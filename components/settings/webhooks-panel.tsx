"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Field, InputField, SubmitButton } from "@/components/forms/field";
import { FormMessage } from "@/components/forms/form-message";
import { useActionForm } from "@/components/forms/use-action-form";
import { SecretOnce } from "@/components/tokens/secret-once";
import { ConfirmDialog } from "@/components/forms/confirm-dialog";
import { UtcTime } from "@/components/data-table/utc-time";
import {
  createWebhookAction,
  deleteWebhookAction,
  rotateWebhookSecretAction,
  sendTestWebhookAction,
  setWebhookActiveAction,
} from "@/lib/webhooks/actions";
import type { WebhookRow } from "@/lib/webhooks/queries";
import {
  WEBHOOK_EVENTS,
  WEBHOOK_EVENT_TYPES,
  ZWebhookInput,
  type TWebhookInput,
  type WebhookEventType,
} from "@/lib/webhooks/schemas";

/**
 * Outgoing webhooks: register one (its secret shown once), test it, turn it on or off, replace its
 * secret (the new one shown once, the old one signing beside it for a day) or remove it.
 */
export function WebhooksPanel({ webhooks }: { webhooks: WebhookRow[] }) {
  const router = useRouter();
  const empty: TWebhookInput = { name: "", url: "", events: ["alert.raised"] };
  const [value, setValue] = useState<TWebhookInput>(empty);
  const [secret, setSecret] = useState<{ title: string; value: string } | null>(null);
  const [asking, setAsking] = useState<{ kind: "rotate" | "delete"; hook: WebhookRow } | null>(null);
  const form = useActionForm();
  const row = useActionForm();
  const toggle = (event: WebhookEventType, on: boolean) =>
    setValue({ ...value, events: on ? [...value.events, event] : value.events.filter((e) => e !== event) });
  return (
    <div className="stack">
      <p className="muted small">
        Each delivery is a JSON POST signed per the Standard Webhooks specification (headers <code>webhook-id</code>,{" "}
        <code>webhook-timestamp</code>, <code>webhook-signature</code>: HMAC-SHA256 with the webhook&apos;s secret). A
        receiver that does not answer 2xx is retried after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h; one that answers
        410 Gone turns its webhook off.
      </p>
      {secret ? <SecretOnce title={secret.title} secret={secret.value} /> : null}
      <form
        className="form"
        noValidate
        aria-label="New webhook"
        onSubmit={(e) => {
          e.preventDefault();
          form.submit(ZWebhookInput, value, createWebhookAction, (data) => {
            setSecret({
              title: "Copy the signing secret now — the receiver needs it, and it is not shown again.",
              value: data.secret,
            });
            setValue(empty);
            router.refresh();
            return `Created. Send a test event to check the receiver.`;
          });
        }}
      >
        <FormMessage message={form.message} />
        <div className="field-row">
          <InputField
            name="webhook-name"
            label="Name"
            hint="Where it goes, e.g. “SOC Teams channel”."
            maxLength={100}
            value={value.name}
            error={form.errors.name}
            onChange={(v) => setValue({ ...value, name: v })}
          />
          <InputField
            name="webhook-url"
            label="Receiver URL"
            hint="https:// (plain http only to this machine)."
            maxLength={2000}
            value={value.url}
            error={form.errors.url}
            onChange={(v) => setValue({ ...value, url: v })}
          />
        </div>
        <Field name="webhook-events" label="Events" as="fieldset" error={form.errors.events}>
          <div className="choices">
            {WEBHOOK_EVENT_TYPES.map((event) => (
              <label key={event}>
                <input
                  type="checkbox"
                  checked={value.events.includes(event)}
                  onChange={(e) => toggle(event, e.target.checked)}
                />
                <code>{event}</code> <span className="small muted">{WEBHOOK_EVENTS[event]}</span>
              </label>
            ))}
          </div>
        </Field>
        <SubmitButton pending={form.pending} label="Add webhook" pendingLabel="Adding…" />
      </form>

      <FormMessage message={row.message} />
      {webhooks.length === 0 ? (
        <p className="muted">No webhooks yet.</p>
      ) : (
        <ul className="webhook-list" aria-label="Webhooks">
          {webhooks.map((w) => (
            <li key={w.id} className="card stack" style={{ gap: "0.4rem" }}>
              <div className="row" style={{ justifyContent: "space-between" }}>
                <strong>{w.name}</strong>
                <span className={`badge ${w.active ? "badge-MET" : "badge-NOT_APPLICABLE"}`}>
                  {w.active ? "on" : "off"}
                </span>
              </div>
              <div className="small muted" style={{ overflowWrap: "anywhere" }}>
                {w.url} · {w.events.join(", ")}
              </div>
              <div className="small">
                {w.counts.delivered} delivered
                {w.counts.pending ? ` · ${w.counts.pending} waiting` : ""}
                {w.counts.failed ? ` · ${w.counts.failed} failed` : ""}
              </div>
              {w.disabledReason && !w.active ? <div className="small muted">{w.disabledReason}</div> : null}
              {w.previousUntil ? (
                <div className="small muted">
                  The old secret also signs until <UtcTime iso={w.previousUntil} className="nowrap" /> UTC
                </div>
              ) : null}
              <div className="row">
                {w.active ? (
                  <button
                    type="button"
                    className="btn btn-small"
                    aria-label={`Send test to ${w.name}`}
                    disabled={row.pending}
                    onClick={() =>
                      row.run(
                        () => sendTestWebhookAction(w.id),
                        () => {
                          router.refresh();
                          return `Test event queued for ${w.name}; it is sent within 15 s.`;
                        },
                      )
                    }
                  >
                    Send test
                  </button>
                ) : null}
                <button
                  type="button"
                  className="btn btn-small"
                  aria-label={`Turn ${w.active ? "off" : "on"} ${w.name}`}
                  disabled={row.pending}
                  onClick={() =>
                    row.run(
                      () => setWebhookActiveAction(w.id, !w.active),
                      () => {
                        router.refresh();
                        return `${w.name} turned ${w.active ? "off" : "on"}.`;
                      },
                    )
                  }
                >
                  Turn {w.active ? "off" : "on"}
                </button>
                <button
                  type="button"
                  className="btn btn-small"
                  aria-label={`Replace secret of ${w.name}`}
                  disabled={row.pending}
                  onClick={() => setAsking({ kind: "rotate", hook: w })}
                >
                  Replace secret
                </button>
                <button
                  type="button"
                  className="btn btn-small btn-danger"
                  aria-label={`Remove ${w.name}`}
                  disabled={row.pending}
                  onClick={() => setAsking({ kind: "delete", hook: w })}
                >
                  Remove
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
      <ConfirmDialog
        open={asking?.kind === "rotate"}
        title={`Replace the signing secret of ${asking?.hook.name ?? "the webhook"}?`}
        confirmLabel="Replace secret"
        onCancel={() => setAsking(null)}
        onConfirm={() => {
          const hook = asking!.hook;
          setAsking(null);
          row.run(
            () => rotateWebhookSecretAction(hook.id),
            (data) => {
              setSecret({
                title: `Copy the new signing secret of ${hook.name} now and give it to the receiver — it is not shown again.`,
                value: data.secret,
              });
              router.refresh();
              return `New secret made for ${hook.name}. Deliveries carry a signature with each secret until ${data.previousUntil.replace("T", " ").slice(0, 16)} UTC.`;
            },
          );
        }}
      >
        <p>
          A new secret is made and shown once. For the next 24 hours every delivery is signed with both the new and the
          old secret, so the receiver keeps accepting events while its setting is changed; after that, only the new one
          signs.
        </p>
      </ConfirmDialog>
      <ConfirmDialog
        open={asking?.kind === "delete"}
        title={`Remove ${asking?.hook.name ?? "the webhook"}?`}
        confirmLabel="Remove webhook"
        onCancel={() => setAsking(null)}
        onConfirm={() => {
          const hook = asking!.hook;
          setAsking(null);
          row.run(
            () => deleteWebhookAction(hook.id),
            () => {
              router.refresh();
              return `${hook.name} removed.`;
            },
          );
        }}
      >
        <p>
          The webhook and its delivery log are removed, and deliveries still waiting are not sent. The audit log keeps a
          record of the webhook and of its removal. To stop deliveries for a while instead, turn it off.
        </p>
      </ConfirmDialog>
    </div>
  );
}
