"use client";
import Link from "next/link";
import { GrantFlags } from "@/components/clients/grant-flags";
import { CLIENT_LABELS } from "@/lib/clients/enums";
import { ANSWER_LABELS, CHECKLIST_ITEMS, DECISION_LABELS, DECISIONS, type TReviewInput } from "@/lib/reviews/schemas";
import type { ReviewDetail } from "@/lib/reviews/review-view";

// The review's grant decisions and checklist (components/reviews/review-editor.tsx holds the state).
export type SetDecision = (
  clientId: string,
  patch: Partial<{ decision: (typeof DECISIONS)[number]; reason: string }>,
) => void;
export type SetAnswer = (item: string, patch: Partial<{ answer: "YES" | "NO" | "NA"; comment: string }>) => void;

export function GrantsSection({
  review,
  value,
  errors,
  readOnly,
  setDecision,
  showMissing = false,
}: {
  review: ReviewDetail;
  value: TReviewInput;
  errors: Record<string, string[]>;
  readOnly: boolean;
  setDecision: SetDecision;
  /** After a sign-off attempt: mark each grant still without a decision. */
  showMissing?: boolean;
}) {
  const unflagged = review.snapshot.filter(
    (c) => !review.flags[c.id]?.length && !review.observed.grants[c.id]?.length && !value.decisions[c.id],
  );
  return (
    <section aria-labelledby="grants-h">
      <h3 id="grants-h">Grants under review ({review.snapshot.length})</h3>
      <p className="small muted">
        Frozen {review.startedAt?.slice(0, 10)}; snapshot SHA-256 <code>{review.snapshotHash.slice(0, 16)}…</code>
      </p>
      {review.snapshot.length === 0 ? (
        <p className="muted">The API had no recorded clients when the review started.</p>
      ) : null}
      {!readOnly && unflagged.length ? (
        <p>
          <button
            type="button"
            className="btn btn-small"
            onClick={() => unflagged.forEach((c) => setDecision(c.id, { decision: "KEEP" }))}
          >
            Keep all unflagged ({unflagged.length})
          </button>{" "}
          <span className="small muted">Sets “keep” on the grants without flags that have no decision yet.</span>
        </p>
      ) : null}
      {review.snapshot.length ? (
        <div className="table-wrap">
          <table className="data">
            <caption className="sr-only">Frozen grants and decisions</caption>
            <thead>
              <tr>
                <th scope="col">Client</th>
                <th scope="col">Grant</th>
                <th scope="col">Review flags</th>
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
                        {` · last seen ${c.lastSeenAt || "never recorded"}`}
                      </div>
                    </td>
                    <td>
                      <GrantFlags flags={review.flags[c.id] ?? []} />
                      {(review.observed.grants[c.id] ?? []).map((f) => (
                        <div key={f.kind} className="small">
                          <strong>Traffic:</strong> {f.message} <em>{f.suggestion}</em>
                        </div>
                      ))}
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
                            style={{ minWidth: "10.5rem" }}
                            aria-invalid={showMissing && !d ? true : undefined}
                            aria-describedby={showMissing && !d ? `decision-${c.id}-error` : undefined}
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
                          {showMissing && !d ? (
                            <span id={`decision-${c.id}-error`} className="small" style={{ color: "var(--notmet)" }}>
                              Decide this grant.
                            </span>
                          ) : null}
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
      {review.observed.lastEventAt ? (
        <p className="small muted">
          {review.status === "SIGNED_OFF"
            ? "Traffic flags as they stood at sign-off, kept with the review: judged from the API's gateway traffic up to its last event then,"
            : "Traffic flags are judged from the API's gateway traffic up to its last event,"}{" "}
          {review.observed.lastEventAt.slice(0, 16)} UTC (
          <Link href={`/apis/${review.api.id}/events`}>observed versus granted</Link>).
        </p>
      ) : null}
      {review.observed.unknownCallers.length ? (
        <div className="alert alert-warn" role="note">
          <strong>Callers that are no grant ({review.observed.unknownCallers.length}):</strong>{" "}
          {review.observed.unknownCallers.map((u, i) => (
            <span key={u.clientId}>
              {i ? "; " : ""}
              <code>{u.clientId}</code> — {u.flag.message} {u.flag.suggestion}
            </span>
          ))}{" "}
          <Link href={`/apis/${review.api.id}#clients-title`}>Record one as a client</Link>, or raise a follow-up to
          block it.
        </div>
      ) : null}
    </section>
  );
}

export function ChecklistSection({
  value,
  readOnly,
  setAnswer,
  showMissing = false,
}: {
  value: TReviewInput;
  readOnly: boolean;
  setAnswer: SetAnswer;
  /** After a sign-off attempt: mark each item still unanswered. */
  showMissing?: boolean;
}) {
  return (
    <section aria-labelledby="checklist-h">
      <h3 id="checklist-h">Checklist</h3>
      <div className="stack" style={{ gap: "0.5rem" }}>
        {CHECKLIST_ITEMS.map(([key, label]) => {
          const a = value.checklist[key];
          return (
            <fieldset key={key} className="fieldset" style={{ padding: "0.5rem 0.75rem", gap: "0.4rem" }}>
              <legend>
                {label}
                {showMissing && !a && !readOnly ? (
                  <span className="small" style={{ color: "var(--notmet)" }}>
                    {" "}
                    — answer this item
                  </span>
                ) : null}
              </legend>
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
  );
}
