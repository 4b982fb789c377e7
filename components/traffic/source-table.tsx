import Link from "next/link";
import { CHART_COLORS, StackedBar } from "@/components/charts/stacked-bar";
import type { TrafficSourceRow } from "@/lib/traffic/queries";
import { PROFILE_LABELS } from "@/lib/traffic/schemas";

const when = (iso: string | null) => (iso ? `${iso.replace("T", " ").slice(0, 16)} UTC` : "never");
const count = (n: number) => n.toLocaleString("en-AU");
/** A small number with one decimal, a larger one whole; never "0" for something that is not nothing. */
const amount = (n: number) =>
  n > 0 && n < 0.1 ? "< 0.1" : n.toLocaleString("en-AU", { maximumFractionDigits: n < 10 ? 1 : 0 });

/**
 * The sources, each with how fast it sends now (records a minute over the last hour, as 60 bars on one
 * scale for every row, so a busy gateway and a quiet one compare at a glance) and what became of its
 * records as a bar as long as its count (so sources compare by length): stored, quarantined, unrouted.
 */
export function SourceTable({ sources }: { sources: TrafficSourceRow[] }) {
  const scale = Math.max(0, ...sources.map((s) => s.stored + s.quarantined + s.unrouted));
  const peak = Math.max(0, ...sources.flatMap((s) => s.rate.perMinute));
  return (
    <div className="table-wrap">
      <table className="data">
        <caption className="sr-only">Traffic sources</caption>
        <thead>
          <tr>
            <th scope="col">Source</th>
            <th scope="col">Rate (last hour)</th>
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
              <td colSpan={6} className="muted">
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
                <td>
                  <Rate rate={s.rate} scale={peak} />
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
                    {count(s.stored)} stored · {count(s.quarantined)} quarantined · {count(s.unrouted)} unrouted
                    {s.duplicates ? ` · ${count(s.duplicates)} sent again (not stored twice)` : ""}
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

const BAR = 2;
const HEIGHT = 24;

/**
 * Records a minute over the last hour: the average, and each minute as a bar (the current one, still
 * filling, last) whose height is on `scale`, the busiest minute of any source in the table.
 */
function Rate({ rate, scale }: { rate: TrafficSourceRow["rate"]; scale: number }) {
  const busiest = Math.max(0, ...rate.perMinute);
  const label = rate.receivedLastHour
    ? `${count(rate.receivedLastHour)} record${rate.receivedLastHour === 1 ? "" : "s"} in the last hour, peak ${count(busiest)} a minute`
    : "No records in the last hour";
  const width = rate.perMinute.length * BAR;
  return (
    <div className="small">
      <div className="nowrap">
        <strong>{amount(rate.receivedPerMinute)}</strong> a minute
      </div>
      <svg
        role="img"
        aria-label={label}
        width={width}
        height={HEIGHT}
        viewBox={`0 0 ${width} ${HEIGHT}`}
        shapeRendering="crispEdges"
        style={{ display: "block", margin: "2px 0" }}
      >
        <rect x={0} y={HEIGHT - 1} width={width} height={1} style={{ fill: "var(--chart-empty)" }} />
        <g style={{ fill: "var(--chart-brand)" }}>
          {rate.perMinute.map((n, i) => {
            if (!n || !scale) return null;
            // At least a pixel: a minute with one record is not drawn as a minute with none.
            const h = Math.max(1, Math.round((n / scale) * HEIGHT));
            return <rect key={i} x={i * BAR} y={HEIGHT - h} width={BAR} height={h} />;
          })}
        </g>
      </svg>
      <div className="muted">{count(rate.receivedLastHour)} in the hour</div>
      {rate.quarantinedLastHour ? (
        <div className="muted">{share(rate.quarantinedLastHour, rate.receivedLastHour)} quarantined</div>
      ) : null}
    </div>
  );
}

const share = (part: number, whole: number) => `${amount((part / whole) * 100)}%`;
