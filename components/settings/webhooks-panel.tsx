"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Field, InputField, SubmitButton } from "@/components/forms/field";
import { FormMessage } from "@/components/forms/form-message";
import { useActionForm } from "@/components/forms/use-action-form";
import { SecretOnce } from "@/components/tokens/secret-once";
import { createWebhookAction, sendTestWebhookAction, setWebhookActiveAction } from "@/lib/webhooks/actions";
import type { WebhookRow } from "@/lib/webhooks/queries";
import {
  WEBHOOK_EVENTS,
  WEBHOOK_EVENT_TYPES,
  ZWebhookInput,
  type TWebhookInput,
  type WebhookEventType,
} from "@/lib/webhooks/schemas";

/** Outgoing webhooks: register one (its secret shown once), test it, turn it on or off. */
export function WebhooksPanel({ webhooks }: { webhooks: WebhookRow[] }) {
  const router = useRouter();
  const empty: TWebhookInput = { name: "", url: "", events: ["alert.raised"] };
  const [value, setValue] = useState<TWebhookInput>(empty);
  const [secret, setSecret] = useState<string | null>(null);
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
      {secret ? (
        <SecretOnce
          title="Copy the signing secret now — the receiver needs it, and it is not shown again."
          secret={secret}
        />
      ) : null}
      <form
        className="form"
        noValidate
        aria-label="New webhook"
        onSubmit={(e) => {
          e.preventDefault();
          form.submit(ZWebhookInput, value, createWebhookAction, (data) => {
            setSecret(data.secret);
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
      <div className="table-wrap">
        <table className="data">
          <caption className="sr-only">Webhooks</caption>
          <thead>
            <tr>
              <th scope="col">Webhook</th>
              <th scope="col">Events</th>
              <th scope="col">Deliveries</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {webhooks.length === 0 ? (
              <tr>
                <td colSpan={5} className="muted">
                  No webhooks yet.
                </td>
              </tr>
            ) : null}
            {webhooks.map((w) => (
              <tr key={w.id}>
                <td>
                  {w.name}
                  <div className="small muted" style={{ wordBreak: "break-all" }}>
                    {w.url}
                  </div>
                </td>
                <td className="small">{w.events.join(", ")}</td>
                <td className="small nowrap">
                  {w.counts.delivered} delivered
                  {w.counts.pending ? <div>{w.counts.pending} waiting</div> : null}
                  {w.counts.failed ? <div>{w.counts.failed} failed</div> : null}
                </td>
                <td>
                  <span className={`badge ${w.active ? "badge-MET" : "badge-NOT_APPLICABLE"}`}>
                    {w.active ? "on" : "off"}
                  </span>
                  {w.disabledReason && !w.active ? <div className="small muted">{w.disabledReason}</div> : null}
                </td>
                <td>
                  <div className="row">
                    {w.active ? (
                      <button
                        type="button"
                        className="btn btn-small"
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
                        Send test to {w.name}
                      </button>
                    ) : null}
                    <button
                      type="button"
                      className={`btn btn-small ${w.active ? "btn-danger" : ""}`}
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
                      Turn {w.active ? "off" : "on"} {w.name}
                    </button>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
