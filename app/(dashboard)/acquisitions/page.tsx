import type { Metadata } from "next";
import Link from "next/link";
import { requireActor } from "@/lib/auth/current-actor";
import { canSometimes } from "@/lib/authz/policy";
import { todayInput } from "@/lib/input/date-input";
import { listChecklists, listReviewerChoices } from "@/lib/acquisitions/queries";
import { OutcomeBadge } from "@/components/acquisitions/outcome-badge";
import { NewChecklistForm } from "@/components/acquisitions/new-checklist-form";

export const metadata: Metadata = { title: "Software acquisitions" };

export default async function AcquisitionsPage() {
  const actor = await requireActor();
  const [checklists, reviewers] = await Promise.all([listChecklists(actor), listReviewerChoices(actor)]);
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Software acquisitions</h1>
          <p>
            Before buying a product or service, check that its APIs authenticate and authorise clients securely. Each
            checklist keeps the questions as they were asked, the evidence, and the reviewer&apos;s outcome.
          </p>
        </div>
        {canSometimes(actor, "acquisition:manage-questions") ? (
          <Link className="btn" href="/acquisitions/questions">
            Edit the question list
          </Link>
        ) : null}
      </div>
      <div className="table-wrap" style={{ marginBottom: "1rem" }}>
        <table className="data">
          <caption className="sr-only">Acquisition checklists, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Product</th>
              <th scope="col">Date</th>
              <th scope="col">Requested by</th>
              <th scope="col">Reviewer</th>
              <th scope="col">Answered</th>
              <th scope="col">Outcome</th>
            </tr>
          </thead>
          <tbody>
            {checklists.length === 0 ? (
              <tr>
                <td colSpan={6} className="muted">
                  No checklists yet.
                </td>
              </tr>
            ) : null}
            {checklists.map((c) => (
              <tr key={c.id}>
                <td>
                  <Link href={`/acquisitions/${c.id}`}>
                    {c.vendor} {c.product}
                  </Link>
                </td>
                <td className="nowrap">{c.requestedOn}</td>
                <td>{c.requester}</td>
                <td>{c.reviewer}</td>
                <td>
                  {c.answered} of {c.questions}
                </td>
                <td>{c.outcome ? <OutcomeBadge outcome={c.outcome} /> : <span className="muted">Not decided</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {canSometimes(actor, "acquisition:request") ? (
        <section className="card" aria-labelledby="new-h">
          <h2 id="new-h">Start a checklist</h2>
          <NewChecklistForm reviewers={reviewers} today={todayInput()} />
        </section>
      ) : null}
    </>
  );
}
