"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { ModalDialog } from "@/components/forms/confirm-dialog";
import { Field, fieldIds } from "@/components/forms/field";
import { FormMessage } from "@/components/forms/form-message";
import { useActionForm } from "@/components/forms/use-action-form";
import { UtcTime } from "@/components/data-table/utc-time";
import { ApiCombobox, type ChosenApi } from "@/components/forms/api-combobox";
import { ignoreDiscoveredApiAction, routeDiscoveredApiAction } from "@/lib/traffic/actions";
import { ZIgnoreDiscoveredInput } from "@/lib/traffic/schemas";
import type { DiscoveredRow } from "@/lib/traffic/routing-queries";

const n = (value: number) => value.toLocaleString("en-AU");
const label = (d: DiscoveredRow) => `${d.host || "(no host)"}${d.pathPrefix}`;

/** The Register page, prefilled with what traffic shows of the API. */
const registerHref = (d: DiscoveredRow) =>
  `/apis/new?${new URLSearchParams({
    team: d.teamId,
    name: label(d),
    baseUrl: d.host ? `https://${d.host}${d.pathPrefix === "/" ? "" : d.pathPrefix}` : "",
  })}`;

/**
 * Traffic to no registered API: per host and path prefix, when it was seen, how much (with failures),
 * which methods, paths and callers. Each new one can be registered (prefilled), routed to an API of its
 * team, or ignored with a reason.
 */
export function DiscoveredTable({ rows }: { rows: DiscoveredRow[] }) {
  const router = useRouter();
  const { message, pending, run, setMessage } = useActionForm();
  const [target, setTarget] = useState<Record<string, ChosenApi | null>>({});
  const [ignoring, setIgnoring] = useState<DiscoveredRow | null>(null);
  return (
    <div className="stack" style={{ gap: "0.5rem" }}>
      <FormMessage message={message} />
      <div className="table-wrap">
        <table className="data">
          <caption className="sr-only">Discovered APIs: traffic to no registered API</caption>
          <thead>
            <tr>
              <th scope="col">Host and path</th>
              <th scope="col">Seen (UTC)</th>
              <th scope="col">Calls</th>
              <th scope="col">Methods, paths and callers</th>
              <th scope="col">Decision</th>
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 ? (
              <tr>
                <td colSpan={5} className="muted">
                  Nothing discovered: every call the sources reported went to a registered API.
                </td>
              </tr>
            ) : null}
            {rows.map((d) => (
              <tr key={d.id}>
                <td>
                  <code>{label(d)}</code>
                  <div className="small muted">{d.team}</div>
                </td>
                <td className="small">
                  <UtcTime iso={d.firstSeenAt} /> –<br />
                  <UtcTime iso={d.lastSeenAt} />
                </td>
                <td>
                  {n(d.calls)}
                  {d.failures ? <div className="small">{n(d.failures)} refused</div> : null}
                </td>
                <td className="small">
                  {d.methods.join(", ")}
                  <div className="muted">{d.paths.slice(0, 3).join(", ")}</div>
                  {d.callers.length ? <div>callers: {d.callers.slice(0, 5).join(", ")}</div> : null}
                </td>
                <td className="small">
                  {d.status === "REGISTERED" ? (
                    <>Routed to {d.api ? <Link href={`/apis/${d.api.id}/events`}>{d.api.name}</Link> : "an API"}</>
                  ) : d.status === "IGNORED" ? (
                    <>Ignored: {d.reason}</>
                  ) : (
                    <div className="stack" style={{ gap: "0.35rem" }}>
                      <div className="row" style={{ gap: "0.35rem" }}>
                        <label className="sr-only" htmlFor={`route-${d.id}`}>
                          Route {label(d)} to
                        </label>
                        <ApiCombobox
                          id={`route-${d.id}`}
                          teamId={d.teamId}
                          value={target[d.id] ?? null}
                          placeholder="Route to an API…"
                          onChange={(api) => setTarget({ ...target, [d.id]: api })}
                        />
                        <button
                          type="button"
                          className="btn btn-small"
                          disabled={pending || !target[d.id]}
                          onClick={() =>
                            run(
                              () => routeDiscoveredApiAction(d.id, target[d.id]?.id),
                              () => {
                                router.refresh();
                                return `${label(d)} now goes to the API you chose.`;
                              },
                            )
                          }
                        >
                          Route
                        </button>
                      </div>
                      <div className="row" style={{ gap: "0.75rem", alignItems: "center" }}>
                        <Link href={registerHref(d)}>Register it…</Link>
                        <button
                          type="button"
                          className="btn btn-small"
                          disabled={pending}
                          onClick={() => setIgnoring(d)}
                        >
                          Ignore…
                        </button>
                      </div>
                    </div>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {ignoring ? (
        <IgnoreDialog
          row={ignoring}
          onClose={(done) => {
            setIgnoring(null);
            if (done) {
              setMessage({ kind: "ok", text: done });
              router.refresh();
            }
          }}
        />
      ) : null}
    </div>
  );
}

/** Asks why a discovered API is ignored; the reason is checked as the server checks it. */
function IgnoreDialog({ row, onClose }: { row: DiscoveredRow; onClose: (done: string | null) => void }) {
  const [reason, setReason] = useState("");
  const { errors, message, pending, submit } = useActionForm();
  return (
    <ModalDialog open title={`Ignore ${label(row)}?`} onCancel={() => onClose(null)}>
      <form
        className="form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          submit(
            ZIgnoreDiscoveredInput,
            { reason },
            (input) => ignoreDiscoveredApiAction(row.id, input),
            () => onClose(`${label(row)} is ignored.`),
          );
        }}
      >
        <p>Its calls keep being counted, out of the way. Say why, for the audit log and the next reader.</p>
        <FormMessage message={message} />
        <Field name="ignore-reason" label="Reason" error={errors.reason}>
          <textarea
            id={fieldIds("ignore-reason").id}
            rows={2}
            maxLength={500}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
          />
        </Field>
        <div className="row" style={{ justifyContent: "flex-end" }}>
          <button type="button" className="btn" onClick={() => onClose(null)}>
            Go back
          </button>
          <button type="submit" className="btn btn-primary" disabled={pending}>
            Ignore
          </button>
        </div>
      </form>
    </ModalDialog>
  );
}
