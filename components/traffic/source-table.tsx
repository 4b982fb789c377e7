import Link from "next/link";
import { CHART_COLORS, StackedBar } from "@/components/charts/stacked-bar";
import type { TrafficSourceRow } from "@/lib/traffic/queries";
import { PROFILE_LABELS } from "@/lib/traffic/schemas";

const when = (iso: string | null) => (iso ? `${iso.replace("T", " ").slice(0, 16)} UTC` : "never");

/**
 * The sources, each with what became of its records as a bar as long as its count (so sources compare
 * by length): stored, quarantined, unrouted.
 */
export function SourceTable({ sources }: { sources: TrafficSourceRow[] }) {
  const scale = Math.max(0, ...sources.map((s) => s.stored + s.quarantined + s.unrouted));
  return (
    <div className="table-wrap">
      <table className="data">
        <caption className="sr-only">Traffic sources</caption>
        <thead>
          <tr>
            <th scope="col">Source</th>
            <th scope="col">Sends for</th>
            <th scope="col">Last received</th>
            <th scope="col" style={{ minWidth: "14rem" }}>
              Records: stored, quarantined, unrouted
            </th>
            <th scope="col">Token expires</th>
          </tr>
        </thead>
        <tbody>
          {sources.length === 0 ? (
            <tr>
              <td colSpan={5} className="muted">
                No sources yet. Register the first gateway below.
              </td>
            </tr>
          ) : null}
          {sources.map((s) => {
            return (
              <tr key={s.id}>
                <td>
                  <Link href={`/traffic/${s.id}`}>{s.name}</Link>
                  <div className="small muted">
                    {PROFILE_LABELS[s.profile]} · {s.lenient ? "lenient" : "strict"}
                  </div>
                  {s.inQuarantine ? (
                    <div className="small">
                      <Link href={`/traffic/${s.id}`}>{s.inQuarantine.toLocaleString("en-AU")} in quarantine</Link>
                    </div>
                  ) : null}
                </td>
                <td className="small">
                  {s.team}
                  <div className="muted">
                    {s.api ? (
                      <>
                        <Link href={`/apis/${s.api.id}/events`}>{s.api.name}</Link>
                        {s.api.retired ? " (retired)" : ""}
                      </>
                    ) : (
                      "no API: calls unrouted"
                    )}
                  </div>
                </td>
                <td className="small nowrap">{when(s.lastReceivedAt)}</td>
                <td>
                  <StackedBar
                    label={`Records from ${s.name}`}
                    scale={scale}
                    segments={[
                      { label: "Stored", value: s.stored, color: CHART_COLORS.met },
                      { label: "Quarantined", value: s.quarantined, color: CHART_COLORS.notMet },
                      { label: "Unrouted", value: s.unrouted, color: CHART_COLORS.judge },
                    ]}
                  />
                  <div className="small muted">
                    {s.stored.toLocaleString("en-AU")} stored · {s.quarantined.toLocaleString("en-AU")} quarantined ·{" "}
                    {s.unrouted.toLocaleString("en-AU")} unrouted
                    {s.duplicates ? ` · ${s.duplicates.toLocaleString("en-AU")} sent again (not stored twice)` : ""}
                  </div>
                </td>
                <td className="small nowrap">
                  {s.accountDeactivated ? (
                    <span className="badge badge-NOT_MET">account deactivated</span>
                  ) : s.tokenExpired ? (
                    <span className="badge badge-NOT_MET">{s.tokenExpiresAt ? "expired" : "no token"}</span>
                  ) : (
                    s.tokenExpiresAt!.slice(0, 10)
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
