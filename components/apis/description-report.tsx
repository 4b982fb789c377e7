import type { ComponentProps } from "react";
import type { ScanReportView } from "@/lib/openapi-scan/scan-view";
import { FindingsTable } from "@/components/apis/findings-table";
const SECURITY_LABEL = { required: "authenticated", optional: "anonymous allowed", none: "no security" } as const;

/**
 * The scan of the attached description: counts, findings with their JSON pointers and triage, every
 * operation.
 */
export function DescriptionReportView({
  report,
  triage,
}: {
  report: ScanReportView;
  triage: Omit<ComponentProps<typeof FindingsTable>, "findings">;
}) {
  const c = report.counts;
  return (
    <div className="stack">
      <p className="small">
        {report.title || "Untitled"} ({report.dialect}) ·{" "}
        {report.source === "url"
          ? `fetched from ${report.sourceUrl}`
          : report.source === "api"
            ? "sent through the API"
            : report.sourceUrl
              ? `read from ${report.sourceUrl} in a Backstage catalog bundle`
              : "uploaded"}{" "}
        by {report.uploadedBy} on {report.scannedAt.slice(0, 10)} · SHA-256{" "}
        <code title={report.sha256}>{report.sha256.slice(0, 12)}…</code>
      </p>
      <p>
        <strong>{c.operations}</strong> operations ({c.writes} writes): <strong>{report.anonWrites}</strong> writes and{" "}
        <strong>{report.anonReads}</strong> reads can be called without authenticating.
      </p>
      <FindingsSummary report={report} />
      {report.findings.length ? <FindingsTable findings={report.findings} {...triage} /> : null}
      <details>
        <summary>All {c.operations} operations</summary>
        <div className="table-wrap" style={{ maxHeight: 400, overflowY: "auto" }}>
          <table className="data">
            <caption className="sr-only">Operations in the description</caption>
            <thead>
              <tr>
                <th scope="col">Operation</th>
                <th scope="col">Security</th>
              </tr>
            </thead>
            <tbody>
              {report.operations.map((o) => (
                <tr key={o.pointer}>
                  <td className="small">
                    <code>
                      {o.method} {o.path}
                    </code>
                  </td>
                  <td className="small">
                    {SECURITY_LABEL[o.security]}
                    {o.schemes.length ? ` (${o.schemes.join(", ")})` : ""}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </div>
  );
}

/** One line on where the findings stand: not green while a high or critical one still counts. */
function FindingsSummary({ report }: { report: ScanReportView }) {
  const n = report.findings.length;
  if (n === 0)
    return (
      <p className="alert alert-ok" role="status">
        No findings.
      </p>
    );
  const triaged = report.findings.filter((f) => f.triage?.status === "APPROVED").length;
  const pending = report.findings.filter((f) => f.triage?.status === "PENDING").length;
  const open = n - triaged;
  const worst = report.worstOpen;
  const kind = worst === "critical" || worst === "high" ? "alert-error" : worst ? "alert-warn" : "alert-ok";
  return (
    <p className={`alert ${kind}`} role="status">
      {open
        ? `${open} of ${n} finding${n === 1 ? "" : "s"} still count${open === 1 ? "s" : ""}, the most severe ${worst}.`
        : `All ${n} finding${n === 1 ? " is" : "s are"} accepted as risks or false positives, with approval.`}
      {triaged && open ? ` ${triaged} accepted with approval.` : ""}
      {pending ? ` ${pending} awaiting approval.` : ""}
    </p>
  );
}
