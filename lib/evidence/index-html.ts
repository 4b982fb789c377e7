// index.html of an evidence bundle: one self-contained page (inline styles, no scripts, no fonts, no
// images, nothing fetched) that reads in any browser from the unzipped folder and prints well.
import type { ControlSummary, Gap } from "@/lib/evidence/summary";

export type IndexInput = {
  title: string;
  period: string;
  from: string;
  until: string;
  controls: ControlSummary[];
  teams: string[];
  apiCount: number;
  /** When the last change the bundle reflects was made: the export's own time is in manifest.json only. */
  dataAsOf: string | null;
  appVersion: string;
  fingerprint: string;
  auditHead: { seq: number; hash: string } | null;
  catalog: string | null;
  gaps: Gap[];
  sections: { name: string; title: string; description: string; rows: number }[];
  documents: { path: string; title: string }[];
};

const esc = (value: unknown) =>
  String(value).replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );
const n = (value: number) => value.toLocaleString("en-AU");

const STYLE = `
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1a1a1a;max-width:60rem;margin:2rem auto;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #ccc;padding-bottom:.2rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #bbb;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#eef1f5}tbody th{white-space:nowrap}td.num{text-align:right;font-variant-numeric:tabular-nums}.bad{color:#a4000f;font-weight:600}.ok{color:#0b6b2b;font-weight:600}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dt{font-weight:600}dd{margin:0;word-break:break-all}
nav ul{columns:2}a{color:#0b4f9c;display:inline-block;min-height:24px;line-height:24px}code{font-size:.9em}.note{color:#444}
@media print{nav{display:none}a{color:inherit;text-decoration:none}h2{break-after:avoid}table,li{break-inside:avoid}body{margin:0;max-width:none}}
`;

export function renderIndex(input: IndexInput): string {
  const rows = (cells: string[]) => `<tr>${cells.join("")}</tr>`;
  const controlRows = input.controls
    .map((c) =>
      rows([
        `<th scope="row">${esc(c.label)}</th>`,
        `<td>${esc(c.summary)}<br><span class="note">ISO/IEC 27001: ${esc(c.iso27001.join("; "))}</span></td>`,
        `<td class="num">${n(c.applicable)}</td>`,
        `<td class="num ${c.met ? "ok" : ""}">${n(c.met)}</td>`,
        `<td class="num ${c.notMet ? "bad" : ""}">${n(c.notMet)}</td>`,
        `<td class="num">${n(c.cannotJudge)}</td>`,
      ]),
    )
    .join("\n");
  const gaps = input.gaps.length
    ? `<ul>${input.gaps.map((g) => `<li>${esc(g.text)}${g.items.length ? `<ul>${g.items.map((i) => `<li>${esc(i)}</li>`).join("")}</ul>` : ""}</li>`).join("\n")}</ul>`
    : `<p class="ok">No gaps found: every in-scope API has a signed-off review and meets each applicable control, the required policies were current, and no action is overdue.</p>`;
  const sections = input.sections
    .map(
      (s) => `<section id="${esc(s.name)}"><h2>${esc(s.title)}</h2><p>${esc(s.description)}</p>
<p>${s.rows ? `${n(s.rows)} row(s)` : "<strong>Nothing in scope for this period.</strong>"} — <a href="data/${esc(s.name)}.csv">data/${esc(s.name)}.csv</a> · <a href="data/${esc(s.name)}.json">data/${esc(s.name)}.json</a></p>
${s.name === "documents" && input.documents.length ? `<ul>${input.documents.map((d) => `<li><a href="${esc(d.path)}">${esc(d.title)}</a></li>`).join("")}</ul>` : ""}</section>`,
    )
    .join("\n");
  return `<!doctype html>
<html lang="en-AU">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${esc(input.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${esc(input.title)}</h1>
<p>Evidence for the ISM network-API controls (${esc(input.controls.map((c) => c.label).join(", "))}) for the period <strong>${esc(input.period)}</strong> (${esc(input.from)} to ${esc(input.until)}).</p>
</header>
<nav aria-label="Contents"><h2>Contents</h2><ul>
<li><a href="#scope">Scope and provenance</a></li><li><a href="#controls">Controls</a></li><li><a href="#gaps">Gaps</a></li>
${input.sections.map((s) => `<li><a href="#${esc(s.name)}">${esc(s.title)}</a></li>`).join("\n")}
<li><a href="VERIFY.md">How to verify this bundle</a></li><li><a href="report.pdf">report.pdf</a></li><li><a href="oscal/assessment-results.json">OSCAL assessment results</a> · <a href="oscal/poam.json">POA&amp;M</a></li>
</ul></nav>
<main>
<section id="scope"><h2>Scope and provenance</h2><dl>
<dt>Period</dt><dd>${esc(input.period)}: ${esc(input.from)} to ${esc(input.until)} (UTC)</dd>
<dt>Controls</dt><dd>${esc(input.controls.map((c) => c.label).join(", "))}</dd>
<dt>Teams and APIs</dt><dd>${input.teams.length ? esc(input.teams.join(", ")) : "All teams"}; ${n(input.apiCount)} API(s) in the inventory at the end of the period</dd>
<dt>Data as of</dt><dd>${input.dataAsOf ? `${esc(input.dataAsOf)} (the last change recorded before the export)` : "No changes recorded"}; who exported the bundle and when is in <a href="manifest.json">manifest.json</a></dd>
<dt>Exported with</dt><dd>ApiLedger ${esc(input.appVersion)}</dd>
<dt>ISM catalog</dt><dd>${input.catalog ? esc(input.catalog) : "None imported: the built-in summaries of the controls were used"}</dd>
<dt>Audit log</dt><dd>${input.auditHead ? `Reflects entries up to no. ${n(input.auditHead.seq)}, hash <code>${esc(input.auditHead.hash)}</code>` : "Empty"}</dd>
<dt>Signing key</dt><dd>Ed25519, SHA-256 fingerprint <code>${esc(input.fingerprint)}</code></dd>
</dl></section>
<section id="controls"><h2>Controls</h2>
${input.apiCount ? "" : "<p><strong>No APIs were in scope at the end of this period.</strong></p>"}
<table><caption class="note">APIs each control applies to, and how many meet it (details per API: <a href="data/control-evaluations.csv">control-evaluations.csv</a>)</caption>
<thead><tr><th scope="col">Control</th><th scope="col">What it asks</th><th scope="col">Applies to</th><th scope="col">Met</th><th scope="col">Not met</th><th scope="col">Cannot be judged</th></tr></thead>
<tbody>
${controlRows}
</tbody></table></section>
<section id="gaps"><h2>Gaps</h2>${gaps}</section>
${sections}
</main>
<footer><p class="note">Generated by ApiLedger. Check this bundle with the steps in VERIFY.md before relying on it.</p></footer>
</body>
</html>
`;
}
