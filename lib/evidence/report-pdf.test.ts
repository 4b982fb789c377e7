import { describe, expect, it } from "vitest";
import { extractText, getDocumentProxy, getMeta } from "unpdf";
import { renderReport } from "@/lib/evidence/report-pdf";
import type { IndexInput } from "@/lib/evidence/index-html";

// report.pdf read back the way an auditor's tools read it: the text extracted with PDF.js (unpdf),
// the metadata from the document's info dictionary, the structure from its catalog.

const NAMES = ["Whānau Ora Services", "✓ 数据 API", "Ωmega Δelta Сервис", "Tiếng Việt Gateway"];

const input = (over: Partial<IndexInput> = {}): IndexInput => ({
  title: "ApiLedger evidence bundle: 2026-Q4",
  period: "2026-Q4",
  from: "2026-10-01",
  until: "2026-12-31",
  controls: [
    {
      id: "ism-2013",
      label: "ISM-2013",
      summary: "Clients of APIs that modify data are authenticated and authorised.",
      iso27001: ["5.15"],
      applicable: 40,
      met: 31,
      notMet: 6,
      cannotJudge: 3,
      notApplicable: 200,
      notMetApis: [],
    },
  ],
  teams: ["Whānau services", "数据 team"],
  apiCount: 240,
  dataAsOf: "2026-11-30T10:00:00.000Z",
  appVersion: "0.1.0",
  fingerprint: "ab".repeat(32),
  auditHead: { seq: 1234, hash: "cd".repeat(32) },
  catalog: "ISM December 2026",
  gaps: [
    {
      kind: "review",
      text: "240 in-scope APIs have no signed-off access review this period.",
      items: [...NAMES, ...Array.from({ length: 236 }, (_, i) => `Service API ${i + 1}`)],
    },
  ],
  sections: [{ name: "inventory", title: "API inventory", description: "", rows: 240 }],
  documents: [],
  ...over,
});

async function read(pdf: Buffer) {
  const proxy = await getDocumentProxy(new Uint8Array(pdf));
  const { text, totalPages } = await extractText(proxy, { mergePages: true });
  const meta = await getMeta(proxy);
  return { text: text.replace(/\s+/g, " "), pages: totalPages, info: meta.info as Record<string, unknown> };
}

describe("report.pdf", () => {
  it("prints every name as it was written, in any script, and lists every gap item", async () => {
    const { text, pages } = await read(await renderReport(input()));
    for (const name of NAMES) expect(text).toContain(name);
    expect(text).toContain("Whānau services, 数据 team");
    expect(text).not.toContain("?");
    // 240 names over several pages, none dropped.
    expect(text).toContain("Service API 236");
    expect(pages).toBeGreaterThan(2);
    expect(text).toContain(`Page ${pages} of ${pages}`);
  });

  it("holds the control counts in a table, and carries the document's metadata and tags", async () => {
    const pdf = await renderReport(input());
    const { text, info } = await read(pdf);
    expect(text).toMatch(/Control Applies to Met Not met Cannot be judged ISM-2013 40 31 6 3/);
    expect(info).toMatchObject({
      Title: "ApiLedger evidence bundle: 2026-Q4",
      Author: "ApiLedger",
      Creator: "ApiLedger 0.1.0",
    });
    const raw = pdf.toString("latin1");
    if (process.env.DUMP_PDF) (await import("node:fs")).writeFileSync(process.env.DUMP_PDF, pdf);
    expect(raw).toMatch(/\/MarkInfo \d+ 0 R/);
    expect(raw).toContain("/Marked true");
    expect(raw).toContain("/StructTreeRoot");
    for (const tag of ["/H1", "/H2", "/Table", "/TH", "/L", "/LI"]) expect(raw).toContain(`/S ${tag}`);
    expect(raw).toMatch(/\/Lang \(en-AU\)/);
    // The fonts are embedded (subset), not referenced by name.
    expect(raw).toMatch(/\/FontFile2/);
    expect(raw).not.toMatch(/\/BaseFont \/Helvetica/);
  });

  it("gives the same bytes for the same data", async () => {
    const a = await renderReport(input());
    const b = await renderReport(input());
    expect(a.equals(b)).toBe(true);
    const { info } = await read(a);
    expect(String(info.CreationDate)).toContain("20261130");
  });
});
