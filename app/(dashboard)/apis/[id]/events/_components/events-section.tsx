import Link from "next/link";
import type { EventFilters } from "@/lib/events/queries";
import { OUTCOMES, OUTCOME_LABELS } from "@/lib/events/schemas";
import { when, type AuthEvents } from "@/app/(dashboard)/apis/[id]/events/_components/types";

export function EventsSection({
  events,
  filters,
  filterError,
  next,
}: {
  events: AuthEvents;
  filters: EventFilters;
  filterError: string | null;
  next: string | null;
}) {
  return (
    <section aria-labelledby="events-h">
      <h2 id="events-h">Events</h2>
      <form className="row" method="get" style={{ alignItems: "flex-end", marginBottom: "0.75rem", flexWrap: "wrap" }}>
        <div className="field">
          <label htmlFor="ev-client">Client</label>
          <input id="ev-client" name="client" defaultValue={filters.client} />
        </div>
        <div className="field">
          <label htmlFor="ev-principal">Principal</label>
          <input id="ev-principal" name="principal" defaultValue={filters.principal} />
        </div>
        <div className="field">
          <label htmlFor="ev-outcome">Outcome</label>
          <select id="ev-outcome" name="outcome" defaultValue={filters.outcome}>
            <option value="">Any</option>
            {OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {OUTCOME_LABELS[o]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="ev-from">From</label>
          <input id="ev-from" name="from" type="date" defaultValue={filters.from.slice(0, 10)} />
        </div>
        <div className="field">
          <label htmlFor="ev-to">To</label>
          <input id="ev-to" name="to" type="date" defaultValue={filters.to.slice(0, 10)} />
        </div>
        <button type="submit" className="btn">
          Search
        </button>
      </form>
      {filterError ? (
        <div className="alert alert-error" role="alert">
          {filterError}
        </div>
      ) : null}
      <div className="table-wrap">
        <table className="data">
          <caption className="sr-only">Authentication events, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Time (UTC)</th>
              <th scope="col">Client</th>
              <th scope="col">Principal</th>
              <th scope="col">Outcome</th>
              <th scope="col">Call</th>
              <th scope="col">From</th>
            </tr>
          </thead>
          <tbody>
            {events.data.length === 0 ? (
              <tr>
                <td colSpan={6} className="muted">
                  No events match.
                </td>
              </tr>
            ) : null}
            {events.data.map((e) => (
              <tr key={e.id}>
                <td className="small nowrap">{when(e.time)}</td>
                <td className="small">{e.clientId}</td>
                <td className="small">{e.principal}</td>
                <td>
                  <span className={`badge ${e.outcome === "success" ? "badge-MET" : "badge-NOT_MET"}`}>
                    {OUTCOME_LABELS[e.outcome]}
                  </span>
                </td>
                <td className="small">
                  <code>
                    {e.method} {e.route}
                  </code>
                </td>
                <td className="small">{e.sourceIp}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {next ? (
        <p>
          <Link href={next}>Older events</Link>
        </p>
      ) : null}
    </section>
  );
}
