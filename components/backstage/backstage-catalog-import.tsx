"use client";
import { importBackstageCatalogAction, previewBackstageCatalogAction } from "@/lib/backstage/actions";
import { CsvImport } from "@/components/forms/csv-import";
import { LABELS, SENSITIVITIES } from "@/lib/apis/enums";

const OUTCOME = { create: "will create", update: "will update", unchanged: "unchanged", skipped: "skipped" } as const;

/**
 * Most catalogs name Backstage groups, not ApiLedger teams, and carry no sensitivity: the person importing
 * chooses where such APIs go and how they are classified (or leaves them refused), before the check.
 */
export function BackstageCatalogImport({ teams }: { teams: { id: string; name: string }[] }) {
  return (
    <CsvImport
      inputId="catalog-yaml"
      fileLabel="Backstage catalog (YAML, or ZIP with its definitions)"
      accept=".yaml,.yml,.zip,application/yaml,text/yaml,application/zip"
      previewAction={previewBackstageCatalogAction}
      importAction={importBackstageCatalogAction}
      headings={["Entity", "Changes"]}
      // Field changes as a list ("lifecycle: ACTIVE → DEPRECATED; …"), then the notes, which are sentences.
      cells={(r) => {
        const list = r.changes.join("; ");
        return [r.name, [list && !list.endsWith(".") ? `${list}.` : list, ...(r.notes ?? [])].join(" ").trim()];
      }}
      outcome={(r) => (r.action ? OUTCOME[r.action] : "")}
      ready={(p) => {
        const skipped = p.rows.filter((r) => r.action === "skipped").length;
        return `${p.creates} new API(s), ${p.updates} update(s)${skipped ? `; ${skipped} entities of other kinds skipped` : ""}.`;
      }}
      done={(p) => `${p.creates} new API(s), ${p.updates} update(s).`}
    >
      <div className="field-row" style={{ flexBasis: "100%" }}>
        <div className="field">
          <label htmlFor="catalog-default-team">Owner is no ApiLedger team</label>
          <select id="catalog-default-team" name="defaultTeamId" defaultValue="">
            <option value="">Refuse the entity</option>
            {teams.map((t) => (
              <option key={t.id} value={t.id}>
                Place in {t.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="catalog-default-sensitivity">No sensitivity annotation</label>
          <select id="catalog-default-sensitivity" name="defaultSensitivity" defaultValue="">
            <option value="">Refuse a new API</option>
            {SENSITIVITIES.map((s) => (
              <option key={s} value={s}>
                Record as {LABELS.sensitivity[s]}
              </option>
            ))}
          </select>
        </div>
      </div>
    </CsvImport>
  );
}
