import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requireActor } from "@/lib/auth/current-actor";
import { canSometimes } from "@/lib/authz/policy";
import { getTrainingSession } from "@/lib/training/queries";

export const metadata: Metadata = { title: "Training session" };

export default async function TrainingSessionPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requireActor();
  const s = await getTrainingSession(actor, id);
  if (!s) notFound();
  return (
    <>
      <div className="page-head">
        <div>
          <p className="small">
            <Link href="/training">Training</Link> ›
          </p>
          <h1>{s.input.topic}</h1>
          <p>
            {s.input.heldOn} · {s.input.trainer} · {s.input.durationMinutes} minutes
            {s.input.isApiSecurity ? " · API-security training" : ""}
          </p>
        </div>
        {canSometimes(actor, "training:manage") ? (
          <Link className="btn" href={`/training/${s.id}/edit`}>
            Edit
          </Link>
        ) : null}
      </div>
      <div className="grid grid-2">
        <section className="card" aria-labelledby="details-h">
          <h2 id="details-h">Details</h2>
          <dl className="facts">
            <dt>Materials</dt>
            <dd>
              {s.materials ? <Link href={`/documents/${s.materials.id}`}>{s.materials.title}</Link> : "none recorded"}
            </dd>
            <dt>Notes</dt>
            <dd style={{ whiteSpace: "pre-wrap" }}>{s.input.notes || "—"}</dd>
          </dl>
        </section>
        <section className="card" aria-labelledby="attendees-h">
          <h2 id="attendees-h">Attendees ({s.attendees.length})</h2>
          {s.attendees.length ? (
            <ul>
              {s.attendees.map((a) => (
                <li key={a.id}>
                  {a.name} <span className="small muted">{a.email}</span>
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">Nobody recorded.</p>
          )}
        </section>
      </div>
    </>
  );
}
