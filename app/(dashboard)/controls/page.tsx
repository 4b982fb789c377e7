import type { Metadata } from "next";
import Link from "next/link";
import { requireActor } from "@/lib/auth/current-actor";
import { canSometimes } from "@/lib/authz/policy";
import { getOfficialControls, listCatalogs } from "@/lib/ism/queries";
import { CONTROLS, CONTROL_COLUMN, CONTROL_IDS } from "@/lib/ism/controls";
import { IsmCatalogImport } from "@/components/ism/ism-catalog-import";

export const metadata: Metadata = { title: "ISM controls" };

export default async function ControlsPage() {
  const actor = await requireActor();
  const [official, catalogs] = await Promise.all([getOfficialControls(actor), listCatalogs(actor)]);
  return (
    <>
      <div className="page-head">
        <div>
          <h1>ISM network-API controls</h1>
          <p>
            The six controls of the ISM’s “Network application programming interfaces” section, and how ApiLedger
            decides when each applies.{" "}
            {official.catalog
              ? `Official text from ISM release ${official.catalog.release}.`
              : "No ISM catalog imported: the summaries are ApiLedger’s own words."}
          </p>
        </div>
      </div>
      <section className="card stack" aria-labelledby="six-h" style={{ marginBottom: "1rem" }}>
        <h2 id="six-h">The controls</h2>
        <p className="small muted">
          Applicability depends on three facts of each API: does it modify data, does it give access to non-public data,
          and is it reachable from the internet. Partner APIs count as internet-accessible unless their record says
          partners use a private link.
        </p>
        {CONTROL_IDS.map((id) => {
          const c = CONTROLS[id];
          const text = official.controls.get(id);
          return (
            <article key={id} style={{ borderTop: "1px solid #edf0f4", paddingTop: "0.6rem" }}>
              <h3>
                {c.label}{" "}
                <span className="small muted">
                  {text
                    ? `revision ${text.revision}, updated ${text.updated}, applies to ${text.applicability.split(",").filter(Boolean).join("/")}`
                    : ""}
                </span>
              </h3>
              <p className="small">{text?.statement ? <q>{text.statement}</q> : c.summary}</p>
              <p className="small muted">
                Applies when the API{" "}
                {c.trigger === "modifies"
                  ? "modifies data"
                  : c.trigger === "nonPublic"
                    ? "gives access to non-public data"
                    : "modifies data or gives access to non-public data"}{" "}
                and is {c.internet ? "" : "not "}internet-accessible. ISO/IEC 27001:2022: {c.iso27001.join("; ")}.{" "}
                <Link href={`/apis?${CONTROL_COLUMN[id]}=NOT_MET`}>APIs not meeting it</Link>
              </p>
            </article>
          );
        })}
      </section>
      <section className="card stack" aria-labelledby="catalogs-h">
        <h2 id="catalogs-h">ISM catalog releases</h2>
        {catalogs.length === 0 ? (
          <p className="muted">None imported yet.</p>
        ) : (
          <div className="table-wrap">
            <table className="data">
              <caption className="sr-only">Imported ISM catalogs</caption>
              <thead>
                <tr>
                  <th scope="col">Release</th>
                  <th scope="col">Controls</th>
                  <th scope="col">Published</th>
                  <th scope="col">Imported</th>
                  <th scope="col">In use</th>
                  <th scope="col">Changes</th>
                </tr>
              </thead>
              <tbody>
                {catalogs.map((c) => (
                  <tr key={c.id}>
                    <td>{c.release}</td>
                    <td>{c.controlCount.toLocaleString("en-AU")}</td>
                    <td>{c.lastModified.slice(0, 10)}</td>
                    <td>{c.importedAt.slice(0, 10)}</td>
                    <td>{c.isCurrent ? <span className="badge badge-MET">In use</span> : ""}</td>
                    <td>
                      <Link href={`/controls/releases/${c.id}`}>What {c.release} changed</Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {canSometimes(actor, "ism:import") ? (
          <>
            <h3>Import a release</h3>
            <p className="small muted">
              ASD publishes the ISM as an OSCAL catalog every quarter. Import it here (or with{" "}
              <code>npm run ism:import -- FILE</code>); you see what changed before anything is stored.
            </p>
            <IsmCatalogImport />
          </>
        ) : null}
      </section>
    </>
  );
}
