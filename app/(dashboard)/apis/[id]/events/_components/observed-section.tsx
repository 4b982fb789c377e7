import Link from "next/link";
import { CHART_COLORS, StackedBar } from "@/components/charts/stacked-bar";
import { when } from "@/app/(dashboard)/apis/[id]/events/_components/types";
import { API_QUIET_DAYS } from "@/lib/observed/flags";
import type { ObservedAccessView } from "@/lib/observed/queries";

/**
 * Observed versus granted: each recorded grant beside what its caller really did (calls by method class
 * as a bar as long as their count, so callers compare by length), each caller that is no grant, and the
 * decision the traffic suggests.
 */
export function ObservedSection({ apiId, view }: { apiId: string; view: ObservedAccessView }) {
  const scale = Math.max(0, ...view.rows.map((r) => r.seen?.calls ?? 0));
  return (
    <section className="card" aria-labelledby="observed-h" style={{ marginBottom: "1rem" }}>
      <h2 id="observed-h">Observed versus granted</h2>
      {view.observedSince ? (
        <p className="small">
          Traffic observed since {when(view.observedSince)} UTC; last call {when(view.lastCallAt)} UTC.
          {view.state === "ZOMBIE" ? (
            <strong> A zombie API: deprecated or retired, and still called in the last {API_QUIET_DAYS} days.</strong>
          ) : view.state === "UNUSED" ? (
            <strong> Unused: active, and not called for {API_QUIET_DAYS} days or more.</strong>
          ) : null}
          {view.anonymous ? ` ${view.anonymous.calls.toLocaleString("en-AU")} call(s) named no client.` : ""}
        </p>
      ) : (
        <p className="muted">
          No traffic observed yet: grants are judged once a gateway or traffic source reports calls to this API.
        </p>
      )}
      <div className="table-wrap">
        <table className="data">
          <caption className="sr-only">Grants and callers, with what the traffic suggests</caption>
          <thead>
            <tr>
              <th scope="col">Caller</th>
              <th scope="col">Last successful call (UTC)</th>
              <th scope="col" style={{ minWidth: "12rem" }}>
                Calls: reads, writes, other
              </th>
              <th scope="col">Refused</th>
              <th scope="col">What the traffic says</th>
            </tr>
          </thead>
          <tbody>
            {view.rows.length === 0 ? (
              <tr>
                <td colSpan={5} className="muted">
                  No grants recorded and no callers seen.
                </td>
              </tr>
            ) : null}
            {view.rows.map((r) => (
              <tr key={`${r.grant ? "g" : "u"}:${r.clientId}`}>
                <td>
                  {r.clientId}
                  <div className="small muted">
                    {r.grant
                      ? r.grant.canModify
                        ? "granted, may modify data"
                        : "granted, read only"
                      : "not a recorded client"}
                  </div>
                </td>
                <td className="small nowrap">{r.seen ? when(r.seen.lastSuccessAt) : "never"}</td>
                <td>
                  <StackedBar
                    label={`Calls by ${r.clientId}`}
                    scale={scale}
                    segments={[
                      { label: "Reads", value: r.seen?.reads ?? 0, color: CHART_COLORS.brand },
                      { label: "Writes", value: r.seen?.writes ?? 0, color: CHART_COLORS.partner },
                      {
                        label: "Other",
                        value: (r.seen?.calls ?? 0) - (r.seen?.reads ?? 0) - (r.seen?.writes ?? 0),
                        color: CHART_COLORS.neutral,
                      },
                    ]}
                  />
                </td>
                <td>{(r.seen?.failures ?? 0).toLocaleString("en-AU")}</td>
                <td className="small">
                  {r.flags.length === 0 ? <span className="muted">Used as granted.</span> : null}
                  {r.flags.map((f) => (
                    <div key={f.kind}>
                      <strong>{f.message}</strong> {f.suggestion}
                    </div>
                  ))}
                  {!r.grant ? <Link href={`/apis/${apiId}#clients-title`}>Record it as a client…</Link> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
