import type { Metadata } from "next";
import Link from "next/link";
import { requireActor } from "@/lib/auth/current-actor";
import { canSometimes } from "@/lib/authz/policy";
import { BackstageCatalogImport } from "@/components/backstage/backstage-catalog-import";
import { getApiFormOptions } from "@/lib/apis/queries";
import { placementChoices } from "@/lib/apis/placement";

export const metadata: Metadata = { title: "Backstage catalog" };

export default async function BackstagePage() {
  const actor = await requireActor();
  // The teams this person may register APIs into (the import checks each placement again).
  const { teams } = placementChoices(actor, await getApiFormOptions(actor), null);
  return (
    <>
      <div className="page-head">
        <div>
          <p className="small">
            <Link href="/apis">API inventory</Link> ›
          </p>
          <h1>Backstage catalog</h1>
          <p>
            Keep one source of truth with a Backstage software catalog: export the inventory as <code>kind: API</code>{" "}
            entities (owner as the team&apos;s group, lifecycle, type, the OpenAPI description as the definition, and
            ApiLedger&apos;s facts as <code>apiledger.io/*</code> annotations), or import entities back. Entities are
            matched by their <code>apiledger.io/id</code> annotation, else by title.
          </p>
          <p>
            <a className="btn" href="/api/v1/backstage/catalog">
              Download the catalog (YAML)
            </a>
          </p>
        </div>
      </div>
      {canSometimes(actor, "api:update") ? (
        <section className="card" aria-labelledby="import-h">
          <h2 id="import-h">Import entities</h2>
          <p className="small muted">
            The file is checked first and every change is listed; nothing is written until you import, and a file with
            any invalid entity imports nothing. Facts an entity does not carry stay unrecorded, so the controls that
            need them show &ldquo;cannot be judged&rdquo; until someone records them.
          </p>
          <p className="small muted">
            A definition in a file beside the catalog (
            <code>
              definition: {"{"} $text: ./openapi.yaml {"}"}
            </code>
            ) is read when you upload a ZIP of <code>catalog-info.yaml</code> with the files it references, as the
            repository holds them: each is scanned and attached to its API, and the check says which file it read and
            what the scan found. Up to 1000 files, 16 MB each and 40 MB in all; links, encrypted files and paths outside
            the ZIP are refused.
          </p>
          <BackstageCatalogImport teams={teams} />
        </section>
      ) : null}
    </>
  );
}
