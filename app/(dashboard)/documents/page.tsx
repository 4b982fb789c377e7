import type { Metadata } from "next";
import Link from "next/link";
import { requireActor } from "@/lib/auth/current-actor";
import { canSometimes } from "@/lib/authz/policy";
import { listDocuments } from "@/lib/documents/queries";
import { DOCUMENT_KIND_LABELS, REQUIRED_KINDS } from "@/lib/documents/schemas";
import { GAP_LABELS, requiredDocumentGaps } from "@/lib/documents/status";
import { DocumentStateBadge } from "@/components/documents/document-state-badge";
import { NewDocumentForm } from "@/components/documents/new-document-form";

export const metadata: Metadata = { title: "Policies and procedures" };

export default async function DocumentsPage() {
  const actor = await requireActor();
  const documents = await listDocuments(actor);
  const gaps = requiredDocumentGaps(REQUIRED_KINDS, documents);
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Policies and procedures</h1>
          <p>
            The access-control policy, the API security standard and the incident procedure auditors ask for, with every
            version, its approver and its review date.
          </p>
        </div>
      </div>
      <section aria-labelledby="required-h" className="card" style={{ marginBottom: "1rem" }}>
        <h2 id="required-h">Required documents</h2>
        {gaps.length === 0 ? (
          <p className="alert alert-ok" role="status">
            Every required document has an approved version in force that is not overdue for review.
          </p>
        ) : (
          <ul className="alert alert-warn" style={{ paddingLeft: "1.8rem" }}>
            {gaps.map((g) => (
              <li key={g.kind}>
                {DOCUMENT_KIND_LABELS[g.kind]}: {GAP_LABELS[g.problem]}
              </li>
            ))}
          </ul>
        )}
      </section>
      <div className="table-wrap">
        <table className="data">
          <caption className="sr-only">Documents by kind</caption>
          <thead>
            <tr>
              <th scope="col">Document</th>
              <th scope="col">Kind</th>
              <th scope="col">Status</th>
              <th scope="col">In force</th>
              <th scope="col">Next review</th>
              <th scope="col">Drafts awaiting approval</th>
            </tr>
          </thead>
          <tbody>
            {documents.length === 0 ? (
              <tr>
                <td colSpan={6} className="muted">
                  No documents yet.
                </td>
              </tr>
            ) : null}
            {documents.map((d) => (
              <tr key={d.id}>
                <td>
                  <Link href={`/documents/${d.id}`}>{d.title}</Link>
                </td>
                <td className="small">
                  {DOCUMENT_KIND_LABELS[d.kind]}
                  {(REQUIRED_KINDS as readonly string[]).includes(d.kind) ? " (required)" : ""}
                </td>
                <td>
                  <DocumentStateBadge state={d.state} />
                </td>
                <td className="small">
                  {d.inForce ? (
                    <>
                      Version {d.inForce.number}
                      {d.inForce.label ? ` (${d.inForce.label})` : ""}, since{" "}
                      <span className="nowrap">{d.inForce.effectiveDate}</span>
                    </>
                  ) : (
                    "—"
                  )}
                </td>
                <td className="small nowrap">{d.inForce?.nextReviewDate ?? "—"}</td>
                <td className="small">{d.pendingDrafts || "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {canSometimes(actor, "document:manage") ? (
        <section aria-labelledby="new-doc-h" className="card" style={{ marginTop: "1rem" }}>
          <h2 id="new-doc-h">Register a document</h2>
          <NewDocumentForm />
        </section>
      ) : null}
    </>
  );
}
