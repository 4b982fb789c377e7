"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Field, fieldIds } from "@/components/forms/field";
import { useActionForm } from "@/components/forms/use-action-form";
import {
  CHECKLIST_ITEMS,
  DECISIONS,
  DECISION_LABELS,
  FOLLOW_UP_DUE_DAYS,
  ZReviewInput,
  type TReviewInput,
} from "@/lib/reviews/schemas";
import { ConfirmDialog } from "@/components/forms/confirm-dialog";
import { saveReviewAction, signOffReviewAction, startReviewAction } from "@/lib/reviews/actions";
import type { ReviewDetail } from "@/lib/reviews/review-view";
import { FormMessage } from "@/components/forms/form-message";
import { ChecklistSection, GrantsSection } from "@/components/reviews/review-sections";

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
  const [confirming, setConfirming] = useState(false);
  const [showMissing, setShowMissing] = useState(false);
  const { errors, message, pending, submit, run, setMessage } = useActionForm();
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
                run(
                  () => startReviewAction(review.id),
                  () => router.refresh(),
                )
              }
            >
              {pending ? "Starting…" : "Start the review"}
            </button>
          </div>
        ) : (
          <p className="muted">Not started yet{review.reviewer ? ` by ${review.reviewer}` : ""}.</p>
        )}
        <FormMessage message={message} />
      </div>
    );
  }

  // A change answers the last outcome ("decide every grant…"): it is cleared rather than left stale.
  const setDecision = (clientId: string, patch: Partial<{ decision: (typeof DECISIONS)[number]; reason: string }>) => {
    setMessage(null);
    setValue((v) => ({
      ...v,
      decisions: { ...v.decisions, [clientId]: { decision: "KEEP", reason: "", ...v.decisions[clientId], ...patch } },
    }));
  };
  const setAnswer = (item: string, patch: Partial<{ answer: "YES" | "NO" | "NA"; comment: string }>) =>
    setValue((v) => ({
      ...v,
      checklist: {
        ...v.checklist,
        [item]: { answer: "YES", comment: "", ...v.checklist[item as keyof typeof v.checklist], ...patch },
      },
    }));

  /** Saves the review; signing off saves first, so what is signed is what is on the screen. */
  const save = (signOff: boolean) =>
    submit(
      ZReviewInput,
      value,
      async (input) => {
        const saved = await saveReviewAction(review.id, version, input);
        if (!saved.ok) return saved;
        setVersion(saved.data.version);
        if (!signOff) return saved;
        const signed = await signOffReviewAction(review.id, saved.data.version);
        return signed.ok ? saved : signed;
      },
      () => {
        if (!signOff) return "Saved.";
        router.refresh();
        return "Signed off.";
      },
    );

  /**
   * Sign-off is final, so it is asked for with a summary of the decisions; what is still missing is said
   * beside the button and the first missing answer gets the focus.
   */
  const askSignOff = () => {
    const undecided = review.snapshot.filter((c) => !value.decisions[c.id]);
    const unanswered = CHECKLIST_ITEMS.filter(([key]) => !value.checklist[key]);
    if (undecided.length || unanswered.length) {
      const parts = [
        undecided.length ? `${undecided.length} grant${undecided.length === 1 ? "" : "s"} without a decision` : "",
        unanswered.length ? `${unanswered.length} checklist item${unanswered.length === 1 ? "" : "s"} unanswered` : "",
      ].filter(Boolean);
      setMessage({ kind: "error", text: `Not signed off yet: ${parts.join(" and ")}. Nothing was changed.` });
      setShowMissing(true);
      const first = undecided[0]
        ? document.getElementById(`decision-${undecided[0].id}`)
        : document.querySelector<HTMLElement>(`input[name="check-${unanswered[0]![0]}"]`);
      first?.focus();
      return;
    }
    setConfirming(true);
  };
  const counts = DECISIONS.map((d) => ({
    d,
    n: review.snapshot.filter((c) => value.decisions[c.id]?.decision === d).length,
  }));

  return (
    <form
      className="stack"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        save(false);
      }}
    >
      <GrantsSection
        review={review}
        value={value}
        errors={errors}
        readOnly={readOnly}
        setDecision={setDecision}
        showMissing={showMissing}
      />

      <ChecklistSection value={value} readOnly={readOnly} setAnswer={setAnswer} showMissing={showMissing} />

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

      <FormMessage message={message} />
      {!readOnly ? (
        <div className="form-actions">
          <button type="submit" className="btn" disabled={pending}>
            {pending ? "Saving…" : "Save"}
          </button>
          <button type="button" className="btn btn-primary" disabled={pending} onClick={askSignOff}>
            Save and sign off
          </button>
          <span className="small muted">Signing off closes the review; later corrections are added as addenda.</span>
        </div>
      ) : null}
      <ConfirmDialog
        open={confirming}
        title={`Sign off the ${review.quarter} review of ${review.api.name}?`}
        confirmLabel="Sign off"
        onCancel={() => setConfirming(false)}
        onConfirm={() => {
          setConfirming(false);
          save(true);
        }}
      >
        <p>Your decisions on the {review.snapshot.length} frozen grants:</p>
        <ul aria-label="Decisions">
          {counts.map(({ d, n }) => (
            <li key={d}>
              {DECISION_LABELS[d]}: {n}
            </li>
          ))}
        </ul>
        <p>
          {counts.some(({ d, n }) => d !== "KEEP" && n > 0)
            ? `Each revoke and change-scope decision becomes a follow-up for the API’s owner (${review.api.owner ?? "no owner yet"}), due in ${FOLLOW_UP_DUE_DAYS} days.`
            : "No grant changes: no follow-ups will be created."}{" "}
          After sign-off the review cannot be edited; corrections are added as addenda.
        </p>
      </ConfirmDialog>
    </form>
  );
}
