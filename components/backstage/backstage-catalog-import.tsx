"use client";
import { importBackstageCatalogAction, previewBackstageCatalogAction } from "@/lib/backstage/actions";
import { CsvImport } from "@/components/forms/csv-import";

const OUTCOME = { create: "will create", update: "will update", unchanged: "unchanged", skipped: "skipped" } as const;

export function BackstageCatalogImport() {
  return (
    <CsvImport
      inputId="catalog-yaml"
      fileLabel="Backstage catalog (YAML)"
      accept=".yaml,.yml,application/yaml,text/yaml"
      previewAction={previewBackstageCatalogAction}
      importAction={importBackstageCatalogAction}
      headings={["Entity", "Changes"]}
      cells={(r) => [r.name, [...r.changes, ...(r.notes ?? [])].join("; ")]}
      outcome={(r) => (r.action ? OUTCOME[r.action] : "")}
      ready={(p) => {
        const skipped = p.rows.filter((r) => r.action === "skipped").length;
        return `${p.creates} new API(s), ${p.updates} update(s)${skipped ? `; ${skipped} entities of other kinds skipped` : ""}.`;
      }}
      done={(p) => `${p.creates} new API(s), ${p.updates} update(s).`}
    />
  );
}
