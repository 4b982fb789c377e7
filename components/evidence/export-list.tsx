"use client";
import { useEffect, useState } from "react";
import { listEvidenceExportsAction } from "@/lib/evidence/actions";
import type { EvidenceExportView } from "@/lib/evidence/export-view";

const POLL_MS = 1500;

/** The shared list of exports; while one is building it polls and shows a progress bar. */
export function ExportList({ initial }: { initial: EvidenceExportView[] }) {
  // What polling fetched, for as long as the server has not rendered a newer list.
  const [polled, setPolled] = useState<{ after: EvidenceExportView[]; exports: EvidenceExportView[] } | null>(null);
  const exports = polled?.after === initial ? polled.exports : initial;
  const building = exports.some((e) => e.status === "RUNNING");
  useEffect(() => {
    if (!building) return;
    const timer = setInterval(async () => {
      const result = await listEvidenceExportsAction();
      if (result.ok) setPolled({ after: initial, exports: result.data });
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [building, initial]);

  if (!exports.length) return <p className="muted">No bundles exported yet.</p>;
  return (
    <div className="table-wrap">
      <table className="data">
        <caption className="sr-only">Evidence exports, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Period</th>
            <th scope="col">Requested</th>
            <th scope="col">Status</th>
            <th scope="col">Bundle</th>
          </tr>
        </thead>
        <tbody>
          {exports.map((e) => (
            <tr key={e.id}>
              <td>
                <strong>{e.period}</strong>
                <div className="small muted">
                  {e.scope.controls.length === 6 ? "all six controls" : e.scope.controls.join(", ")}
                  {e.scope.teamIds.length ? ` · ${e.scope.teamIds.length} team(s)` : ""}
                </div>
              </td>
              <td>
                {e.requestedAt.slice(0, 16).replace("T", " ")} UTC
                <div className="small muted">{e.requestedBy}</div>
              </td>
              <td>
                {e.status === "RUNNING" ? (
                  <div role="status">
                    <label className="small" htmlFor={`progress-${e.id}`}>
                      Building: {e.progress?.step ?? "waiting"} ({e.progress?.percent ?? 0}%)
                    </label>
                    <progress
                      id={`progress-${e.id}`}
                      max={100}
                      value={e.progress?.percent ?? 0}
                      style={{ display: "block", width: "100%" }}
                    />
                  </div>
                ) : e.status === "DONE" ? (
                  <span className="badge badge-MET">Ready</span>
                ) : (
                  <>
                    <span className="badge badge-NOT_MET">Failed</span>
                    <div className="small">{e.error}</div>
                  </>
                )}
              </td>
              <td>
                {e.status === "DONE" ? (
                  <>
                    <a href={`/api/v1/evidence/exports/${e.id}/bundle`} download>
                      Download ZIP ({(e.bytes / 1048576).toFixed(1)} MB, {e.files} files)
                    </a>
                    <div className="small muted" style={{ wordBreak: "break-all" }}>
                      SHA-256 <code>{e.sha256}</code>
                    </div>
                  </>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
