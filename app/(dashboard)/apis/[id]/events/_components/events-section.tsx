import type { EventFilters } from "@/lib/events/queries";
import type { EventView } from "@/lib/events/list-view";
import { EventTable } from "@/components/events/event-table";
import { OUTCOMES, OUTCOME_LABELS } from "@/lib/events/outcomes";
import type { AuthEvents } from "@/app/(dashboard)/apis/[id]/events/_components/types";

export function EventsSection({
  events,
  filters,
  filterError,
  view,
  newest,
  older,
}: {
  events: AuthEvents;
  filters: EventFilters;
  filterError: string | null;
  view: EventView;
  /** Links to the newest events and to the next older ones (null where there is none). */
  newest: string | null;
  older: string | null;
}) {
  return (
    <section aria-labelledby="events-h">
      <h2 id="events-h">Events</h2>
      <form className="row" method="get" style={{ alignItems: "flex-end", marginBottom: "0.75rem", flexWrap: "wrap" }}>
        <div className="field">
          <label htmlFor="ev-client">Client</label>
          <input id="ev-client" name="client" type="text" defaultValue={filters.client} />
        </div>
        <div className="field">
          <label htmlFor="ev-principal">Principal</label>
          <input id="ev-principal" name="principal" type="text" defaultValue={filters.principal} />
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
      <EventTable rows={events.data} view={view} newest={newest} older={older} />
    </section>
  );
}
