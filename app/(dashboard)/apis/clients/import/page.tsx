import type { Metadata } from "next";
import { forbidden } from "next/navigation";
import Link from "next/link";
import { requireActor } from "@/lib/auth/current-actor";
import { canSometimes } from "@/lib/authz/policy";
import { CLIENT_CSV_COLUMNS } from "@/lib/clients/import-clients";
import { CLIENT_KINDS, CREDENTIAL_TYPES } from "@/lib/clients/enums";
import { ClientImport } from "@/components/clients/client-import";

export const metadata: Metadata = { title: "Import clients" };

export default async function ClientImportPage() {
  const actor = await requireActor();
  if (!canSometimes(actor, "client:manage")) forbidden();
  return (
    <>
      <div className="page-head">
        <div>
          <p className="small">
            <Link href="/apis">API inventory</Link> ›
          </p>
          <h1>Import clients and grants</h1>
          <p>
            Load the clients of many APIs from a CSV file. Check it first: every row is validated and nothing is written
            while any row has an error.
          </p>
        </div>
      </div>
      <section className="card stack" aria-labelledby="format-h" style={{ marginBottom: "1rem" }}>
        <h2 id="format-h">File format</h2>
        <p className="small">
          A header row with these columns (the first four are required): <code>{CLIENT_CSV_COLUMNS.join(",")}</code>.
          One row per client of an API; the API is matched by its exact name. A client that the API already has is
          updated.
        </p>
        <ul className="small">
          <li>
            <code>kind</code>: {CLIENT_KINDS.join(", ")} (or their labels, e.g. “Service account”)
          </li>
          <li>
            <code>credential_type</code>: {CREDENTIAL_TYPES.join(", ")}
          </li>
          <li>
            <code>scopes</code>: separated by semicolons; <code>can_modify</code>: yes or no; dates as YYYY-MM-DD
          </li>
        </ul>
      </section>
      <section className="card">
        <ClientImport />
      </section>
    </>
  );
}
