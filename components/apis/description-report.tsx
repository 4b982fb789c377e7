import type { DescriptionReport } from "@/lib/openapi-scan/queries";

const SEVERITY_CLASS = {
  critical: "badge-NOT_MET",
  high: "badge-NOT_MET",
  medium: "badge-CANNOT_JUDGE",
  low: "badge-neutral",
  info: "badge-NOT_APPLICABLE",
} as const;
const SECURITY_LABEL = { required: "authenticated", optional: "anonymous allowed", none: "no security" } as const;

/** The scan of the attached description: counts, findings with their JSON pointers, every operation. */
export function DescriptionReportView({ report }: { report: DescriptionReport }) {
  const c = report.counts;
  return (
    <div className="stack">
      <p className="small">
        {report.title || "Untitled"} ({report.dialect}) ·{" "}
        {report.source === "url"
          ? `fetched from ${report.sourceUrl}`
          : report.source === "api"
            ? "sent through the API"
            : "uploaded"}{" "}
        by {report.uploadedBy} on {report.scannedAt.slice(0, 10)} · SHA-256{" "}
        <code title={report.sha256}>{report.sha256.slice(0, 12)}…</code>
      </p>
      <p>
        <strong>{c.operations}</strong> operations ({c.writes} writes): <strong>{report.anonWrites}</strong> writes and{" "}
        <strong>{report.anonReads}</strong> reads can be called without authenticating.
      </p>
      {report.findings.length === 0 ? (
        <p className="alert alert-ok" role="status">
          No findings.
        </p>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <caption className="sr-only">Findings, most severe first</caption>
            <thead>
              <tr>
                <th scope="col">Severity</th>
                <th scope="col">Finding</th>
                <th scope="col">Where (JSON pointer)</th>
              </tr>
            </thead>
            <tbody>
              {report.findings.slice(0, 200).map((f, i) => (
                <tr key={`${f.rule}-${f.pointer}-${i}`}>
                  <td>
                    <span className={`badge ${SEVERITY_CLASS[f.severity]}`}>{f.severity}</span>
                  </td>
                  <td className="small">{f.message}</td>
                  <td className="small">
                    <code>{f.pointer || "/"}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {report.findings.length > 200 ? (
            <p className="small muted">
              Showing 200 of {report.findings.length} findings; GET /api/v1/apis/…/openapi has them all.
            </p>
          ) : null}
        </div>
      )}
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
