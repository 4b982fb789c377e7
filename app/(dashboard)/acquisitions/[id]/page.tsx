import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requireActor } from "@/lib/auth/current-actor";
import { getChecklist } from "@/lib/acquisitions/queries";
import { ANSWER_LABELS } from "@/lib/acquisitions/schemas";
import { OutcomeBadge } from "@/components/acquisitions/outcome-badge";
import { ChecklistEditor } from "@/components/acquisitions/checklist-editor";
import { DecisionForm } from "@/components/acquisitions/decision-form";

export const metadata: Metadata = { title: "Acquisition checklist" };

export default async function ChecklistPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requireActor();
  const c = await getChecklist(actor, id);
  if (!c) notFound();
  return (
    <>
      <div className="page-head">
        <div>
          <p className="small">
            <Link href="/acquisitions">Software acquisitions</Link> ›
          </p>
          <h1>
            {c.vendor} {c.product}
          </h1>
          <p>
            Requested by {c.requester} on {c.requestedOn} · reviewer {c.reviewer} ·{" "}
            {c.outcome ? <OutcomeBadge outcome={c.outcome} /> : "not decided"}
          </p>
          {c.description ? <p className="muted">{c.description}</p> : null}
        </div>
      </div>
      {c.outcome ? (
        <section className="card" aria-labelledby="outcome-h" style={{ marginBottom: "1rem" }}>
          <h2 id="outcome-h">Outcome</h2>
          <p>
            <OutcomeBadge outcome={c.outcome} /> by {c.reviewer} on {c.decidedAt?.slice(0, 10)}
          </p>
          {c.conditions ? <p style={{ whiteSpace: "pre-wrap" }}>{c.conditions}</p> : null}
        </section>
      ) : null}
      <section className="card" aria-labelledby="questions-h" style={{ marginBottom: "1rem" }}>
        <h2 id="questions-h">Questions</h2>
        {c.canEdit ? (
          <ChecklistEditor id={c.id} version={c.version} answers={c.answers} />
        ) : (
          <ol className="stack" style={{ paddingLeft: "1.2rem" }}>
            {c.answers.map((a) => (
              <li key={a.position}>
                <strong>{a.question}</strong>
                <div>Answer: {a.answer ? ANSWER_LABELS[a.answer] : <span className="muted">not answered</span>}</div>
                {a.evidence ? (
                  <div className="small" style={{ whiteSpace: "pre-wrap" }}>
                    Evidence: {a.evidence}
                  </div>
                ) : null}
              </li>
            ))}
          </ol>
        )}
      </section>
      {c.canDecide ? (
        <section className="card" aria-labelledby="decide-h">
          <h2 id="decide-h">Decide</h2>
          <p className="small muted">
            Every question needs an answer, and evidence unless it does not apply. Save the answers first.
          </p>
          <DecisionForm id={c.id} version={c.version} />
        </section>
      ) : null}
    </>
  );
}
