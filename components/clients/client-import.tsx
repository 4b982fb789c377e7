"use client";
import { importClientsAction, previewClientImportAction } from "@/lib/clients/actions";
import { CsvImport } from "@/components/forms/csv-import";

export function ClientImport() {
  return (
    <CsvImport
      inputId="clients-csv"
      previewAction={previewClientImportAction}
      importAction={importClientsAction}
      headings={["API", "Client"]}
      cells={(r) => [r.api, r.client]}
      outcome={(r) => (r.action === "update" ? "will update" : "will create")}
      ready={(p) => `${p.creates} new client(s), ${p.updates} update(s).`}
      done={(p) => `${p.creates} new client(s), ${p.updates} update(s).`}
    />
  );
}
