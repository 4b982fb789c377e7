"use client";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Field, fieldIds } from "@/components/forms/field";
import { CLIENT_LABELS } from "@/lib/clients/enums";
import {
  ANSWER_LABELS,
  CHECKLIST_ITEMS,
  DECISION_LABELS,
  DECISIONS,
  ZReviewInput,
  type TReviewInput,
} from "@/lib/reviews/schemas";
import { fieldErrorsOf } from "@/lib/input/validation";
import { saveReviewAction, signOffReviewAction, startReviewAction } from "@/lib/reviews/actions";
import type { ReviewDetail } from "@/lib/reviews/queries";
import { FormMessage } from "@/components/forms/form-message";

type Props = { review: ReviewDetail; editable: boolean };

/** The review itself: the frozen grants with a decision each, the checklist and the meeting record. */
export function ReviewEditor({ review, editable }: Props) {
  const router = useRouter();
  const [value, setValue] = useState<TReviewInput>({
    meetingDate: review.meetingDate,
    attendees: review.attendees,
    notes: review.notes,
    findings: review.findings,
    checklist: review.checklist,
    decisions: review.decisions,
  });
  const [version, setVersion] = useState(review.version);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [message, setMessage] = useState<{ kind: "ok" | "error"; text: string } | null>(null);
  const [pending, startTransition] = useTransition();
  const readOnly = !editable || review.status === "SIGNED_OFF";

  if (review.status === "NOT_STARTED") {
    return (
      <div className="stack">
        <p>
          When the review starts, the {review.live.length} current client{review.live.length === 1 ? "" : "s"} and grant
          {review.live.length === 1 ? "" : "s"} of this API are frozen into it, so the record shows exactly what was
          reviewed.
        </p>
        {editable ? (
          <div>
            <button
              type="button"
              className="btn btn-primary"
              disabled={pending}
              onClick={() =>
                startTransition(async () => {
                  const result = await startReviewAction(review.id);
                  if (result.ok) router.refresh();
                  else setMessage({ kind: "error", text: result.message });
                })
              }
            >
              {pending ? "Starting…" : "Start the review"}
            </button>
          </div>
        ) : (
          <p className="muted">Not started yet{review.reviewer ? ` by ${review.reviewer}` : ""}.</p>
        )}
        {message ? (
          <div className="alert alert-error" role="alert">
            {message.text}
          </div>
        ) : null}
      </div>
    );
  }

  const setDecision = (clientId: string, patch: Partial<{ decision: (typeof DECISIONS)[number]; reason: string }>) =>
    setValue((v) => ({
      ...v,
      decisions: { ...v.decisions, [clientId]: { decision: "KEEP", reason: "", ...v.decisions[clientId], ...patch } },
    }));
  const setAnswer = (item: string, patch: Partial<{ answer: "YES" | "NO" | "NA"; comment: string }>) =>
    setValue((v) => ({
      ...v,
      checklist: {
        ...v.checklist,
        [item]: { answer: "YES", comment: "", ...v.checklist[item as keyof typeof v.checklist], ...patch },
      },
    }));

  const save = (then?: (newVersion: number) => Promise<void>) => {
    const parsed = ZReviewInput.safeParse(value);
    if (!parsed.success) {
      setErrors(fieldErrorsOf(parsed.error));
      setMessage({ kind: "error", text: "Some answers need attention. Nothing was saved." });
      return;
    }
    startTransition(async () => {
      const result = await saveReviewAction(review.id, version, parsed.data);
      if (!result.ok) {
        setErrors(result.fieldErrors);
        setMessage({ kind: "error", text: result.message });
        return;
      }
      setErrors({});
      setVersion(result.data.version);
      if (then) await then(result.data.version);
      else setMessage({ kind: "ok", text: "Saved." });
    });
  };

  return (
    <div className="stack">
      <FormMessage message={message} />
      <section aria-labelledby="grants-h">
        <h3 id="grants-h">Grants under review ({review.snapshot.length})</h3>
        <p className="small muted">
          Frozen {review.startedAt?.slice(0, 10)}; snapshot SHA-256 <code>{review.snapshotHash.slice(0, 16)}…</code>
        </p>
        {review.snapshot.length === 0 ? (
          <p className="muted">The API had no recorded clients when the review started.</p>
        ) : null}
        {review.snapshot.length ? (
          <div className="table-wrap">
            <table className="data">
              <caption className="sr-only">Frozen grants and decisions</caption>
              <thead>
                <tr>
                  <th scope="col">Client</th>
                  <th scope="col">Grant</th>
                  <th scope="col">Decision</th>
                  <th scope="col">Reason</th>
                </tr>
              </thead>
              <tbody>
                {review.snapshot.map((c) => {
                  const d = value.decisions[c.id];
                  const reasonError = errors[`decisions.${c.id}.reason`];
                  return (
                    <tr key={c.id}>
                      <td>
                        <strong>{c.name}</strong>
                        <div className="small muted">
                          {CLIENT_LABELS.kind[c.kind as keyof typeof CLIENT_LABELS.kind] ?? c.kind}
                        </div>
                      </td>
                      <td className="small">
                        {CLIENT_LABELS.credentialType[c.credentialType as keyof typeof CLIENT_LABELS.credentialType] ??
                          c.credentialType}
                        {c.scopes.length ? ` · ${c.scopes.join(", ")}` : ""}
                        {c.canModify ? " · may modify data" : ""}
                        <div className="muted">
                          approved {c.approvedBy || "by nobody recorded"}
                          {c.credentialExpiresAt ? ` · expires ${c.credentialExpiresAt}` : ""}
                          {c.lastSeenAt ? ` · last seen ${c.lastSeenAt}` : ""}
                        </div>
                      </td>
                      <td>
                        {readOnly ? (
                          d ? (
                            DECISION_LABELS[d.decision]
                          ) : (
                            <span className="badge badge-NOT_MET">no decision</span>
                          )
                        ) : (
                          <>
                            <label className="sr-only" htmlFor={`decision-${c.id}`}>
                              Decision for {c.name}
                            </label>
                            <select
                              id={`decision-${c.id}`}
                              value={d?.decision ?? ""}
                              onChange={(e) =>
                                setDecision(c.id, { decision: e.target.value as (typeof DECISIONS)[number] })
                              }
                            >
                              <option value="" disabled>
                                Decide…
                              </option>
                              {DECISIONS.map((x) => (
                                <option key={x} value={x}>
                                  {DECISION_LABELS[x]}
                                </option>
                              ))}
                            </select>
                          </>
                        )}
                      </td>
                      <td>
                        {readOnly ? (
                          d?.reason || <span className="muted">—</span>
                        ) : (
                          <>
                            <label className="sr-only" htmlFor={`reason-${c.id}`}>
                              Reason for {c.name}
                            </label>
                            <input
                              id={`reason-${c.id}`}
                              type="text"
                              maxLength={1000}
                              value={d?.reason ?? ""}
                              disabled={!d}
                              aria-invalid={reasonError ? true : undefined}
                              onChange={(e) => setDecision(c.id, { reason: e.target.value })}
                            />
                            {reasonError ? (
                              <span className="small" style={{ color: "var(--notmet)" }}>
                                {reasonError[0]}
                              </span>
                            ) : null}
                          </>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>

      <section aria-labelledby="checklist-h">
        <h3 id="checklist-h">Checklist</h3>
        <div className="stack" style={{ gap: "0.5rem" }}>
          {CHECKLIST_ITEMS.map(([key, label]) => {
            const a = value.checklist[key];
            return (
              <fieldset key={key} className="fieldset" style={{ padding: "0.5rem 0.75rem", gap: "0.4rem" }}>
                <legend>{label}</legend>
                {readOnly ? (
                  <div>
                    {a ? ANSWER_LABELS[a.answer] : <span className="badge badge-NOT_MET">not answered</span>}
                    {a?.comment ? <span className="muted"> — {a.comment}</span> : null}
                  </div>
                ) : (
                  <div className="row">
                    {(["YES", "NO", "NA"] as const).map((ans) => (
                      <label key={ans} className="row small">
                        <input
                          type="radio"
                          name={`check-${key}`}
                          checked={a?.answer === ans}
                          onChange={() => setAnswer(key, { answer: ans })}
                        />
                        {ANSWER_LABELS[ans]}
                      </label>
                    ))}
                    <label className="sr-only" htmlFor={`comment-${key}`}>
                      Comment on: {label}
                    </label>
                    <input
                      id={`comment-${key}`}
                      type="text"
                      placeholder="Comment"
                      maxLength={1000}
                      value={a?.comment ?? ""}
                      disabled={!a}
                      onChange={(e) => setAnswer(key, { comment: e.target.value })}
                      style={{ flex: 1, minWidth: 200 }}
                    />
                  </div>
                )}
              </fieldset>
            );
          })}
        </div>
      </section>

      <section aria-labelledby="meeting-h" className="stack">
        <h3 id="meeting-h">Meeting and findings</h3>
        {readOnly ? (
          <dl className="facts">
            <dt>Meeting date</dt>
            <dd>{review.meetingDate || "—"}</dd>
            <dt>Attendees</dt>
            <dd>{review.attendees || "—"}</dd>
            <dt>Notes</dt>
            <dd style={{ whiteSpace: "pre-wrap" }}>{review.notes || "—"}</dd>
            <dt>Findings</dt>
            <dd style={{ whiteSpace: "pre-wrap" }}>{review.findings || "—"}</dd>
          </dl>
        ) : (
          <>
            <div className="field-row">
              <Field name="meetingDate" label="Meeting date" error={errors.meetingDate}>
                <input
                  id={fieldIds("meetingDate").id}
                  type="date"
                  value={value.meetingDate}
                  onChange={(e) => setValue({ ...value, meetingDate: e.target.value })}
                />
              </Field>
              <Field name="attendees" label="Attendees" error={errors.attendees}>
                <input
                  id={fieldIds("attendees").id}
                  type="text"
                  maxLength={1000}
                  value={value.attendees}
                  onChange={(e) => setValue({ ...value, attendees: e.target.value })}
                />
              </Field>
            </div>
            <Field name="notes" label="Notes" error={errors.notes}>
              <textarea
                id={fieldIds("notes").id}
                maxLength={10000}
                value={value.notes}
                onChange={(e) => setValue({ ...value, notes: e.target.value })}
              />
            </Field>
            <Field name="findings" label="Findings" error={errors.findings}>
              <textarea
                id={fieldIds("findings").id}
                maxLength={10000}
                value={value.findings}
                onChange={(e) => setValue({ ...value, findings: e.target.value })}
              />
            </Field>
          </>
        )}
      </section>

      {!readOnly ? (
        <div className="form-actions">
          <button type="button" className="btn" disabled={pending} onClick={() => save()}>
            {pending ? "Saving…" : "Save"}
          </button>
          <button
            type="button"
            className="btn btn-primary"
            disabled={pending}
            onClick={() =>
              save(async (v) => {
                const result = await signOffReviewAction(review.id, v);
                if (result.ok) {
                  setMessage({ kind: "ok", text: "Signed off." });
                  router.refresh();
                } else setMessage({ kind: "error", text: result.message });
              })
            }
          >
            Save and sign off
          </button>
          <span className="small muted">Signing off closes the review; later corrections are added as addenda.</span>
        </div>
      ) : null}
    </div>
  );
}
