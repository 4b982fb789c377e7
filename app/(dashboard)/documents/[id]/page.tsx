import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requireActor } from "@/lib/auth/current-actor";
import { canSometimes } from "@/lib/authz/policy";
import { daysFromTodayInput, todayInput } from "@/lib/input/date-input";
import { getDocument } from "@/lib/documents/queries";
import { DOCUMENT_KIND_LABELS } from "@/lib/documents/schemas";
import { UPLOAD_EXTENSIONS, maxUploadBytes } from "@/lib/storage/inspect-upload";
import { DocumentStateBadge } from "@/components/documents/document-state-badge";
import { VersionForm } from "@/components/documents/version-form";
import { VersionControls } from "@/components/documents/version-controls";

export const metadata: Metadata = { title: "Document" };

const STATUS_LABEL = { DRAFT: "Draft — awaiting approval", APPROVED: "Approved", WITHDRAWN: "Withdrawn" } as const;
const size = (bytes: number) =>
  bytes < 1024
    ? `${bytes} B`
    : bytes < 1048576
      ? `${(bytes / 1024).toFixed(0)} KB`
      : `${(bytes / 1048576).toFixed(1)} MB`;

export default async function DocumentPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requireActor();
  const doc = await getDocument(actor, id);
  if (!doc) notFound();
  const canManage = canSometimes(actor, "document:manage");
  const today = todayInput();
  const nextYear = daysFromTodayInput(365);
  const inForce = doc.versions.find((v) => v.id === doc.inForceId);
  return (
    <>
      <div className="page-head">
        <div>
          <p className="small">
            <Link href="/documents">Policies and procedures</Link> ›
          </p>
          <h1>{doc.title}</h1>
          <p>
            {DOCUMENT_KIND_LABELS[doc.kind]} · <DocumentStateBadge state={doc.state} />
          </p>
          {doc.description ? <p className="muted">{doc.description}</p> : null}
        </div>
      </div>
      <section className="card" aria-labelledby="in-force-h" style={{ marginBottom: "1rem" }}>
        <h2 id="in-force-h">In force</h2>
        {inForce ? (
          <dl className="facts">
            <dt>Version</dt>
            <dd>
              {inForce.number}
              {inForce.label ? ` (${inForce.label})` : ""}
            </dd>
            <dt>Approved</dt>
            <dd>
              {inForce.approvedOn} by {inForce.approver ?? "the installation"}
            </dd>
            <dt>Effective</dt>
            <dd>{inForce.effectiveDate}</dd>
            <dt>Next review</dt>
            <dd>{inForce.nextReviewDate}</dd>
            <dt>Content</dt>
            <dd>
              {inForce.file ? (
                <a href={`/api/documents/versions/${inForce.id}/file`}>Download {inForce.file.name}</a>
              ) : (
                "Text, shown below"
              )}
            </dd>
          </dl>
        ) : (
          <p className="muted">No approved version is in force.</p>
        )}
        {inForce && !inForce.file ? <pre className="document-body">{inForce.body}</pre> : null}
      </section>
      <section aria-labelledby="versions-h" style={{ marginBottom: "1rem" }}>
        <h2 id="versions-h">Versions</h2>
        <div className="table-wrap">
          <table className="data">
            <caption className="sr-only">Versions, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">Status</th>
                <th scope="col">Content</th>
                <th scope="col">Uploaded by</th>
                <th scope="col">Approval</th>
                <th scope="col">Effective / next review</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {doc.versions.length === 0 ? (
                <tr>
                  <td colSpan={7} className="muted">
                    No versions yet.
                  </td>
                </tr>
              ) : null}
              {doc.versions.map((v) => (
                <tr key={v.id}>
                  <td>
                    {v.number}
                    {v.label ? ` (${v.label})` : ""}
                    {v.changeNote ? <div className="small muted">{v.changeNote}</div> : null}
                  </td>
                  <td className="small">{STATUS_LABEL[v.status]}</td>
                  <td className="small">
                    {v.file ? (
                      <>
                        <a href={`/api/documents/versions/${v.id}/file`}>{v.file.name}</a>
                        <div className="muted">
                          {size(v.file.size)} · SHA-256 <code title={v.file.sha256}>{v.file.sha256.slice(0, 12)}…</code>
                        </div>
                      </>
                    ) : (
                      `Text (${v.body.length.toLocaleString("en-AU")} characters)`
                    )}
                  </td>
                  <td className="small">
                    {v.uploadedBy}
                    <div className="muted">{v.uploadedOn}</div>
                  </td>
                  <td className="small">{v.approver ? `${v.approver}, ${v.approvedOn}` : "—"}</td>
                  <td className="small">
                    {v.effectiveDate} / {v.nextReviewDate}
                  </td>
                  <td>
                    {v.status === "DRAFT" ? (
                      <VersionControls
                        versionId={v.id}
                        number={v.number}
                        canApprove={v.canApprove}
                        canWithdraw={canManage}
                        today={today}
                        uploadedOn={v.uploadedOn}
                      />
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {doc.versions.some((v) => v.status === "DRAFT" && !v.canApprove) && canSometimes(actor, "document:approve") ? (
          <p className="small muted">A version is approved by someone other than the person who uploaded it.</p>
        ) : null}
      </section>
      {canManage ? (
        <section className="card" aria-labelledby="upload-h">
          <h2 id="upload-h">Upload a new version</h2>
          <VersionForm
            documentId={doc.id}
            maxBytes={maxUploadBytes()}
            extensions={UPLOAD_EXTENSIONS}
            today={today}
            nextYear={nextYear}
          />
        </section>
      ) : null}
    </>
  );
}
