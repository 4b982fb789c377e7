import type { Metadata } from "next";
import { requireActor } from "@/lib/auth/current-actor";
import { canSometimes } from "@/lib/authz/policy";
import { getDocumentGaps, listDocuments } from "@/lib/documents/queries";
import { parseDocumentView } from "@/lib/documents/list-view";
import { DOCUMENT_KIND_LABELS } from "@/lib/documents/schemas";
import { GAP_LABELS } from "@/lib/documents/status";
import type { SearchParamsRecord } from "@/lib/tables/table-params";
import { DocumentTable } from "@/components/documents/document-table";
import { NewDocumentForm } from "@/components/documents/new-document-form";

export const metadata: Metadata = { title: "Policies and procedures" };

export default async function DocumentsPage({ searchParams }: { searchParams: Promise<SearchParamsRecord> }) {
  const view = parseDocumentView(await searchParams);
  const actor = await requireActor();
  const [documents, gaps] = await Promise.all([listDocuments(actor, view), getDocumentGaps(actor)]);
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
      <DocumentTable rows={documents.rows} total={documents.total} view={view} />
      {canSometimes(actor, "document:manage") ? (
        <section aria-labelledby="new-doc-h" className="card" style={{ marginTop: "1rem" }}>
          <h2 id="new-doc-h">Register a document</h2>
          <NewDocumentForm />
        </section>
      ) : null}
    </>
  );
}
