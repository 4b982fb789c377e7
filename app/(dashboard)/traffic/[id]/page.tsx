import type { Metadata } from "next";
import Link from "next/link";
import { forbidden, notFound } from "next/navigation";
import { requireActor } from "@/lib/auth/current-actor";
import { canSometimes } from "@/lib/authz/policy";
import type { SearchParamsRecord } from "@/lib/tables/table-params";
import { getTrafficSource, listQuarantine } from "@/lib/traffic/queries";
import { parseQuarantineView } from "@/lib/traffic/list-view";
import { PROFILE_LABELS } from "@/lib/traffic/schemas";
import { QuarantineTable } from "@/components/traffic/quarantine-table";
import { QuarantineActions } from "@/components/traffic/quarantine-actions";
import { MappingForm } from "@/components/traffic/mapping-form";
import { getSourceMapping } from "@/lib/traffic/source-mapping";

export const metadata: Metadata = { title: "Traffic source" };

export default async function TrafficSourcePage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<SearchParamsRecord>;
}) {
  const [{ id }, raw] = await Promise.all([params, searchParams]);
  const actor = await requireActor();
  if (!canSometimes(actor, "traffic:manage")) forbidden();
  const source = await getTrafficSource(actor, id);
  if (!source) notFound();
  const view = parseQuarantineView(raw);
  const { rows, total } = await listQuarantine(actor, source.id, view);
  const n = (value: number) => value.toLocaleString("en-AU");
  return (
    <>
      <div className="page-head">
        <div>
          <p className="small">
            <Link href="/traffic">Traffic sources</Link> ›
          </p>
          <h1>{source.name}</h1>
          <p>
            {PROFILE_LABELS[source.profile]} · {source.lenient ? "lenient" : "strict"} · team {source.team}
            {source.api ? ` · calls for ${source.api.name}` : " · no API: its calls are counted as unrouted"}
          </p>
          <p className="small muted">
            {n(source.received)} records received: {n(source.stored)} stored, {n(source.quarantined)} quarantined,{" "}
            {n(source.unrouted)} unrouted, {n(source.duplicates)} sent again (not stored twice).
          </p>
        </div>
      </div>
      {source.profile === "json" ? (
        <section className="card" aria-labelledby="mapping-h" style={{ marginBottom: "1rem" }}>
          <h2 id="mapping-h">Field mapping</h2>
          <p className="muted">
            Where this source&apos;s records hold each field of a call. A corrected mapping applies to what arrives
            next, and to the quarantine when its records are read again.
          </p>
          <MappingForm sourceId={source.id} mapping={await getSourceMapping(actor, source.id)} />
        </section>
      ) : null}
      <section aria-labelledby="quarantine-h" className="stack">
        <h2 id="quarantine-h">Quarantine ({n(total)})</h2>
        <p className="muted">
          Records the source sent that could not be read, kept with the reason so that no good data is dropped unseen.
          Once what stopped them is fixed (a gateway clock that ran ahead, a newer ApiLedger), read them again: those
          that read now are stored and leave the quarantine. Credentials in them were not kept.
        </p>
        <QuarantineActions sourceId={source.id} held={total} />
        <QuarantineTable rows={rows} total={total} view={view} />
      </section>
    </>
  );
}
