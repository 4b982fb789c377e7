"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { ModalDialog } from "@/components/forms/confirm-dialog";
import { Field, InputField, RecordOptions, TextAreaField, describedBy, fieldIds } from "@/components/forms/field";
import { FormMessage } from "@/components/forms/form-message";
import { useActionForm } from "@/components/forms/use-action-form";
import { decideTriageAction, requestTriageAction, withdrawTriageAction } from "@/lib/openapi-scan/actions";
import type { ScanReportView, FindingTriageView } from "@/lib/openapi-scan/scan-view";
import {
  TRIAGE_KINDS,
  TRIAGE_KIND_LABELS,
  TRIAGE_STATUS_LABELS,
  ZTriageDecision,
  ZTriageRequest,
  ZTriageWithdrawal,
  type TriageKind,
} from "@/lib/openapi-scan/triage-schemas";

type Finding = ScanReportView["findings"][number];

const SEVERITY_CLASS = {
  critical: "badge-NOT_MET",
  high: "badge-NOT_MET",
  medium: "badge-CANNOT_JUDGE",
  low: "badge-neutral",
  info: "badge-NOT_APPLICABLE",
} as const;

/** What the dialog is open for: asking for a triage of a finding, deciding one, or withdrawing one. */
type Open =
  | { mode: "request"; finding: Finding }
  | { mode: "decide"; finding: Finding; triage: FindingTriageView }
  | { mode: "withdraw"; finding: Finding; triage: FindingTriageView }
  | null;

/**
 * The scan's findings, most severe first, each with its triage: accepted as a risk or marked a false
 * positive (with who approved it and until when), awaiting approval, or none. Those who may triage the
 * API's findings ask for one (or withdraw it); the approver named decides.
 */
export function FindingsTable({
  apiId,
  findings,
  canTriage,
  decidableIds,
  approvers,
  expiry,
}: {
  apiId: string;
  findings: Finding[];
  canTriage: boolean;
  /** Triages awaiting approval that the person signed in may decide. */
  decidableIds: string[];
  approvers: { id: string; name: string; role: string }[];
  expiry: { min: string; max: string; proposed: string };
}) {
  const [open, setOpen] = useState<Open>(null);
  const shown = findings.slice(0, 200);
  return (
    <div className="table-wrap" id="findings">
      <table className="data">
        <caption className="sr-only">Findings, most severe first, with their triage</caption>
        <thead>
          <tr>
            <th scope="col">Severity</th>
            <th scope="col">Finding, and where (JSON pointer)</th>
            <th scope="col">Triage</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((f, i) => (
            <tr key={`${f.rule}-${f.pointer}-${i}`}>
              <td>
                <span className={`badge ${SEVERITY_CLASS[f.severity]}`}>{f.severity}</span>
              </td>
              <td className="small">
                {f.message}
                <br />
                <code>{f.pointer || "/"}</code>
              </td>
              <td className="small">
                <TriageCell
                  finding={f}
                  canTriage={canTriage}
                  canDecide={!!f.triage && decidableIds.includes(f.triage.id)}
                  onOpen={setOpen}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {findings.length > 200 ? (
        <p className="small muted">
          Showing 200 of {findings.length} findings; GET /api/v1/apis/…/openapi has them all.
        </p>
      ) : null}
      <ModalDialog
        open={open !== null}
        title={
          open?.mode === "request"
            ? "Accept the finding, or mark it a false positive"
            : open?.mode === "decide"
              ? `Approve or reject: ${TRIAGE_KIND_LABELS[open.triage.kind].toLowerCase()}`
              : "Withdraw the triage"
        }
        onCancel={() => setOpen(null)}
      >
        {open ? (
          <>
            <p className="small" style={{ marginTop: 0 }}>
              <span className={`badge ${SEVERITY_CLASS[open.finding.severity]}`}>{open.finding.severity}</span>{" "}
              {open.finding.message}
            </p>
            {open.mode === "request" ? (
              <RequestForm
                apiId={apiId}
                finding={open.finding}
                approvers={approvers}
                expiry={expiry}
                onDone={() => setOpen(null)}
              />
            ) : open.mode === "decide" ? (
              <DecideForm triage={open.triage} onDone={() => setOpen(null)} />
            ) : (
              <WithdrawForm triage={open.triage} onDone={() => setOpen(null)} />
            )}
          </>
        ) : null}
      </ModalDialog>
    </div>
  );
}

function TriageCell({
  finding,
  canTriage,
  canDecide,
  onOpen,
}: {
  finding: Finding;
  canTriage: boolean;
  canDecide: boolean;
  onOpen: (open: Open) => void;
}) {
  const t = finding.triage;
  const about = `${finding.severity} finding at ${finding.pointer || "/"}`;
  if (!t)
    return canTriage ? (
      <button
        type="button"
        className="btn btn-small"
        aria-label={`Triage the ${about}`}
        onClick={() => onOpen({ mode: "request", finding })}
      >
        Triage…
      </button>
    ) : (
      <span className="muted">None</span>
    );
  return (
    <div className="stack" style={{ gap: "0.25rem" }}>
      <span>
        <span className={`badge ${t.status === "APPROVED" ? "badge-neutral" : "badge-CANNOT_JUDGE"}`}>
          {TRIAGE_KIND_LABELS[t.kind]}
        </span>{" "}
        {t.status === "APPROVED"
          ? `approved by ${t.approver}, until ${t.expiresOn}`
          : `${TRIAGE_STATUS_LABELS[t.status].toLowerCase()} by ${t.approver}`}
      </span>
      <span className="muted">
        “{t.reason}” — {t.requestedBy}
      </span>
      <span className="row" style={{ gap: "0.3rem" }}>
        {canDecide ? (
          <button
            type="button"
            className="btn btn-small btn-primary"
            aria-label={`Approve or reject the triage of the ${about}`}
            onClick={() => onOpen({ mode: "decide", finding, triage: t })}
          >
            Approve or reject…
          </button>
        ) : null}
        {canTriage ? (
          <button
            type="button"
            className="btn btn-small"
            aria-label={`Withdraw the triage of the ${about}`}
            onClick={() => onOpen({ mode: "withdraw", finding, triage: t })}
          >
            Withdraw…
          </button>
        ) : null}
      </span>
    </div>
  );
}

function DialogButtons({ pending, label, onCancel }: { pending: boolean; label: string; onCancel: () => void }) {
  return (
    <div className="row" style={{ justifyContent: "flex-end" }}>
      <button type="button" className="btn" onClick={onCancel}>
        Go back
      </button>
      <button type="submit" className="btn btn-primary" disabled={pending}>
        {pending ? "Saving…" : label}
      </button>
    </div>
  );
}

function RequestForm({
  apiId,
  finding,
  approvers,
  expiry,
  onDone,
}: {
  apiId: string;
  finding: Finding;
  approvers: { id: string; name: string; role: string }[];
  expiry: { min: string; max: string; proposed: string };
  onDone: () => void;
}) {
  const router = useRouter();
  const [kind, setKind] = useState<TriageKind>("ACCEPTED_RISK");
  const [reason, setReason] = useState("");
  const [approverId, setApproverId] = useState("");
  const [expiresOn, setExpiresOn] = useState(expiry.proposed);
  const { errors, message, pending, submit } = useActionForm();
  return (
    <form
      className="stack"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        submit(
          ZTriageRequest,
          { rule: finding.rule, pointer: finding.pointer, kind, reason, approverId, expiresOn },
          (input) => requestTriageAction(apiId, input),
          () => {
            onDone();
            router.refresh();
          },
        );
      }}
    >
      <FormMessage message={message} />
      <Field name="kind" label="This finding is" as="fieldset" error={errors.kind}>
        <div className="choices" style={{ flexDirection: "column" }}>
          {TRIAGE_KINDS.map((k) => (
            <label key={k}>
              <input type="radio" name="kind" value={k} checked={kind === k} onChange={() => setKind(k)} />
              <span>
                {k === "ACCEPTED_RISK"
                  ? "An accepted risk: real, and accepted as it is for now"
                  : "A false positive: the scan is wrong about this operation"}
              </span>
            </label>
          ))}
        </div>
      </Field>
      <TextAreaField
        name="reason"
        label="Why"
        hint="For the approver and, later, the auditor: e.g. “Sign-up is public by design; rate-limited at the gateway.”"
        value={reason}
        onChange={setReason}
        error={errors.reason}
        maxLength={2000}
      />
      <Field
        name="approverId"
        label="Approver"
        hint="A manager of the API’s team, or an admin."
        error={errors.approverId}
      >
        <select
          id={fieldIds("approverId").id}
          value={approverId}
          onChange={(e) => setApproverId(e.target.value)}
          aria-invalid={errors.approverId ? true : undefined}
          aria-describedby={describedBy("approverId", true, !!errors.approverId)}
        >
          <RecordOptions
            records={approvers}
            empty={approvers.length ? "Choose who approves it" : "Nobody can approve: the team has no manager"}
            label={(a) => `${a.name} (${a.role === "ADMIN" ? "admin" : "manager"})`}
          />
        </select>
      </Field>
      <InputField
        name="expiresOn"
        label="Expires on"
        type="date"
        hint={`The finding counts again from this day; at most a year ahead (${expiry.max}).`}
        value={expiresOn}
        min={expiry.min}
        max={expiry.max}
        onChange={setExpiresOn}
        error={errors.expiresOn}
      />
      <p className="small muted" style={{ margin: 0 }}>
        Until it is approved, the finding still counts against the controls.
      </p>
      <DialogButtons pending={pending} label="Ask for approval" onCancel={onDone} />
    </form>
  );
}

function DecideForm({ triage, onDone }: { triage: FindingTriageView; onDone: () => void }) {
  const router = useRouter();
  const [note, setNote] = useState("");
  const { errors, message, pending, submit } = useActionForm();
  const decide = (decision: "APPROVE" | "REJECT") =>
    submit(
      ZTriageDecision,
      { decision, note },
      (input) => decideTriageAction(triage.id, triage.version, input),
      () => {
        onDone();
        router.refresh();
      },
    );
  return (
    <form
      className="stack"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        decide("APPROVE");
      }}
    >
      <FormMessage message={message} />
      <dl className="facts">
        <dt>Asked by</dt>
        <dd>{triage.requestedBy}</dd>
        <dt>Reason</dt>
        <dd>{triage.reason}</dd>
        <dt>Until</dt>
        <dd>{triage.expiresOn}</dd>
      </dl>
      <TextAreaField
        name="decisionNote"
        label="Note (required to reject)"
        value={note}
        onChange={setNote}
        error={errors.note}
        maxLength={2000}
      />
      <p className="small muted" style={{ margin: 0 }}>
        Approving takes the operation out of the ISM-2013/2014 judgement until {triage.expiresOn}; the finding stays
        listed, and the evidence bundle lists it as an accepted risk.
      </p>
      <div className="row" style={{ justifyContent: "flex-end" }}>
        <button type="button" className="btn" onClick={onDone}>
          Go back
        </button>
        <button type="button" className="btn" disabled={pending} onClick={() => decide("REJECT")}>
          Reject
        </button>
        <button type="submit" className="btn btn-primary" disabled={pending}>
          {pending ? "Saving…" : "Approve"}
        </button>
      </div>
    </form>
  );
}

function WithdrawForm({ triage, onDone }: { triage: FindingTriageView; onDone: () => void }) {
  const router = useRouter();
  const [note, setNote] = useState("");
  const { errors, message, pending, submit } = useActionForm();
  return (
    <form
      className="stack"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        submit(
          ZTriageWithdrawal,
          { note },
          (input) => withdrawTriageAction(triage.id, triage.version, input),
          () => {
            onDone();
            router.refresh();
          },
        );
      }}
    >
      <FormMessage message={message} />
      <TextAreaField
        name="withdrawNote"
        label="Why is it withdrawn?"
        value={note}
        onChange={setNote}
        error={errors.note}
        maxLength={2000}
      />
      <p className="small muted" style={{ margin: 0 }}>
        {triage.status === "APPROVED"
          ? "The finding counts against the controls again at once."
          : "The request is closed without a decision."}
      </p>
      <DialogButtons pending={pending} label="Withdraw" onCancel={onDone} />
    </form>
  );
}
