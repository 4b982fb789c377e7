import type { Metadata } from "next";
import Link from "next/link";
import { requireActor } from "@/lib/auth/current-actor";
import { forbidden } from "next/navigation";
import { canSometimes } from "@/lib/authz/policy";
import { listTeams } from "@/lib/users/queries";
import { listTrafficSources } from "@/lib/traffic/queries";
import { parseSourceView } from "@/lib/traffic/list-view";
import type { SearchParamsRecord } from "@/lib/tables/table-params";
import { SourceForm } from "@/components/traffic/source-form";
import { SourceTable } from "@/components/traffic/source-table";
import { ReauthenticateForm } from "@/components/sessions/reauthenticate-form";
import { SESSION_LIMITS, authenticatedRecently } from "@/lib/sessions/limits";

export const metadata: Metadata = { title: "Traffic sources" };

export default async function TrafficSourcesPage({ searchParams }: { searchParams: Promise<SearchParamsRecord> }) {
  const actor = await requireActor();
  if (!canSometimes(actor, "traffic:manage")) forbidden();
  const view = parseSourceView(await searchParams);
  const [sources, teams] = await Promise.all([listTrafficSources(actor, view), listTeams(actor)]);
  const origin = new URL(process.env.NEXTAUTH_URL || "http://localhost:3000").origin;
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Traffic sources</h1>
          <p>
            Gateways and log shippers that send their access logs as they write them (NGINX, Kong, Envoy, AWS API
            Gateway, Traefik, OpenTelemetry, or any JSON log through a field mapping). Each call they report becomes an
            authentication event of the API it was for: who called, when, and whether they got in (ISM-2015: central
            logging).
          </p>
        </div>
      </div>
      <section aria-labelledby="sources-h" style={{ marginBottom: "1rem" }}>
        <h2 id="sources-h">Sources</h2>
        <p>
          <Link href="/traffic/routing">Routing and discovered APIs</Link>: which API each call is for, and calls to
          APIs nobody registered.
        </p>
        <SourceTable rows={sources.rows} total={sources.total} view={view} />
      </section>
      <section className="card" aria-labelledby="new-source-h">
        <h2 id="new-source-h">Register a source</h2>
        {/* A source's token outlives the session: registering one needs a recent sign-in. */}
        {authenticatedRecently(actor.session.authenticatedAt) ? (
          <SourceForm teams={teams} origin={origin} />
        ) : (
          <ReauthenticateForm minutes={SESSION_LIMITS.recentAuthMs / 60_000} />
        )}
      </section>
    </>
  );
}
