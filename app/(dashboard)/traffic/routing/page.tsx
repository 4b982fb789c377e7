import type { Metadata } from "next";
import Link from "next/link";
import { forbidden } from "next/navigation";
import { requireActor } from "@/lib/auth/current-actor";
import { canSometimes } from "@/lib/authz/policy";
import { listRouteSuggestions, listRouting } from "@/lib/traffic/routing-queries";
import { parseSuggestionView } from "@/lib/traffic/list-view";
import type { SearchParamsRecord } from "@/lib/tables/table-params";
import { RouteForm } from "@/components/traffic/route-form";
import { RouteSuggestions, RouteTable } from "@/components/traffic/route-table";
import { DiscoveredTable } from "@/components/traffic/discovered-table";

export const metadata: Metadata = { title: "Routing and discovered APIs" };

export default async function TrafficRoutingPage({ searchParams }: { searchParams: Promise<SearchParamsRecord> }) {
  const actor = await requireActor();
  if (!canSometimes(actor, "traffic:manage")) forbidden();
  const view = parseSuggestionView(await searchParams);
  const [{ rules, discovered, teams }, suggestions] = await Promise.all([
    listRouting(actor),
    listRouteSuggestions(actor, view),
  ]);
  const open = discovered.filter((d) => d.status === "NEW");
  const decided = discovered.filter((d) => d.status !== "NEW");
  return (
    <>
      <div className="page-head">
        <div>
          <p className="small">
            <Link href="/traffic">Traffic sources</Link> ›
          </p>
          <h1>Routing and discovered APIs</h1>
          <p>
            Which API each call a team&apos;s sources report is for: the most specific rule (a gateway route, then a
            host, then the longest path prefix), else the source&apos;s own API. Calls to no API are gathered below as
            discovered APIs — APIs that are running but not in the inventory.
          </p>
        </div>
      </div>
      <section aria-labelledby="discovered-h" className="stack" style={{ marginBottom: "1.5rem" }}>
        <h2 id="discovered-h">Discovered APIs ({open.length.toLocaleString("en-AU")} to decide)</h2>
        <DiscoveredTable rows={open} />
        {decided.length ? (
          <details>
            <summary>Routed or ignored ({decided.length.toLocaleString("en-AU")})</summary>
            <DiscoveredTable rows={decided} />
          </details>
        ) : null}
      </section>
      <section aria-labelledby="rules-h" className="stack" style={{ marginBottom: "1.5rem" }}>
        <h2 id="rules-h">Routing rules</h2>
        <RouteTable rules={rules} />
      </section>
      <section className="card" aria-labelledby="new-rule-h" style={{ marginBottom: "1.5rem" }}>
        <h2 id="new-rule-h">Add a rule</h2>
        <RouteForm teams={teams} />
      </section>
      <section aria-labelledby="suggested-h" className="stack">
        <h2 id="suggested-h">
          {`Suggested from the APIs' base URLs and OpenAPI descriptions (${suggestions.total.toLocaleString("en-AU")})`}
        </h2>
        <p className="small muted">
          Rules no one has added yet, one per base URL or described server. One the team&apos;s rules already cover is
          not suggested.
        </p>
        <RouteSuggestions rows={suggestions.rows} total={suggestions.total} view={view} />
      </section>
    </>
  );
}
