// report.pdf: the bundle's summary (scope, provenance, per-control outcome, gaps, what each data file
// holds) for filing. pdf-lib with the standard Helvetica fonts: no native code and nothing embedded
// that changes between runs, and the document dates are the export time, so the bytes repeat.
import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from "pdf-lib";
import type { IndexInput } from "@/lib/evidence/index-html";

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 50;

export async function renderReport(input: IndexInput): Promise<Buffer> {
  const pdf = await PDFDocument.create({ updateMetadata: false });
  // The data's time, not the export's, so the same data gives the same bytes (the export time is in manifest.json).
  const at = input.dataAsOf ? new Date(input.dataAsOf) : new Date(0);
  pdf.setTitle(input.title);
  pdf.setCreator(`ApiLedger ${input.appVersion}`);
  pdf.setProducer(`ApiLedger ${input.appVersion} (pdf-lib)`);
  pdf.setCreationDate(at);
  pdf.setModificationDate(at);
  const regular = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  const writer = new Writer(pdf, regular, bold);

  writer.heading(input.title, 16);
  writer.paragraph(
    `Evidence for the ISM network-API controls for ${input.period} (${input.from} to ${input.until}, UTC).`,
  );
  writer.heading("Scope and provenance", 12);
  for (const [label, value] of [
    ["Controls", input.controls.map((c) => c.label).join(", ")],
    ["Teams", input.teams.length ? input.teams.join(", ") : "All teams"],
    ["APIs at period end", String(input.apiCount)],
    [
      "Data as of",
      input.dataAsOf ? `${input.dataAsOf} (who exported it and when: manifest.json)` : "no changes recorded",
    ],
    ["Exported with", `ApiLedger ${input.appVersion}`],
    ["ISM catalog", input.catalog ?? "none imported (built-in summaries)"],
    ["Audit log", input.auditHead ? `entries up to no. ${input.auditHead.seq}, hash ${input.auditHead.hash}` : "empty"],
    ["Signing key", `Ed25519, SHA-256 fingerprint ${input.fingerprint}`],
  ] as const)
    writer.paragraph(`${label}: ${value}`);

  writer.heading("Controls", 12);
  if (!input.apiCount) writer.paragraph("No APIs were in scope at the end of this period.");
  for (const c of input.controls) {
    writer.paragraph(
      `${c.label} — applies to ${c.applicable}; met ${c.met}; not met ${c.notMet}; cannot be judged ${c.cannotJudge}.`,
      bold,
    );
    writer.paragraph(c.summary);
  }
  writer.heading("Gaps", 12);
  if (!input.gaps.length) writer.paragraph("No gaps found.");
  for (const g of input.gaps) {
    writer.paragraph(g.text, bold);
    for (const item of g.items) writer.paragraph(`• ${item}`, regular, 12);
  }
  writer.heading("Evidence in this bundle", 12);
  for (const s of input.sections)
    writer.paragraph(`${s.title}: ${s.rows ? `${s.rows} row(s)` : "nothing in scope"} — data/${s.name}.csv and .json`);
  writer.paragraph("Check the bundle with the steps in VERIFY.md (sha256sum and openssl) before relying on it.");
  return Buffer.from(await pdf.save({ useObjectStreams: false }));
}

class Writer {
  private page: PDFPage;
  private y = 0;
  private readonly supported: Set<number>;

  constructor(
    private readonly pdf: PDFDocument,
    private readonly regular: PDFFont,
    private readonly bold: PDFFont,
  ) {
    this.page = this.newPage();
    this.supported = new Set(regular.getCharacterSet());
  }

  heading(text: string, size: number): void {
    this.y -= size * 0.6;
    this.lines(text, this.bold, size, 0);
    this.y -= 4;
  }

  paragraph(text: string, font: PDFFont = this.regular, indent = 0): void {
    this.lines(text, font, 9.5, indent);
    this.y -= 3;
  }

  private newPage(): PDFPage {
    const page = this.pdf.addPage(A4);
    this.y = A4[1] - MARGIN;
    return page;
  }

  /** Standard fonts cover Windows-1252 only: other characters print as "?" instead of failing the export. */
  private printable(text: string): string {
    return [...text].map((ch) => (this.supported.has(ch.codePointAt(0)!) ? ch : ch === "\n" ? " " : "?")).join("");
  }

  private lines(text: string, font: PDFFont, size: number, indent: number): void {
    const width = A4[0] - 2 * MARGIN - indent;
    const words = this.printable(text).split(/\s+/).filter(Boolean);
    let line = "";
    const flush = () => {
      if (this.y < MARGIN + size) this.page = this.newPage();
      this.page.drawText(line, { x: MARGIN + indent, y: this.y - size, size, font, color: rgb(0.1, 0.1, 0.1) });
      this.y -= size * 1.35;
      line = "";
    };
    for (const word of words) {
      // A word longer than the line (a hash) is cut where it overflows.
      let rest = word;
      while (font.widthOfTextAtSize(rest, size) > width) {
        let cut = rest.length - 1;
        while (cut > 1 && font.widthOfTextAtSize(rest.slice(0, cut), size) > width) cut--;
        if (line) flush();
        line = rest.slice(0, cut);
        flush();
        rest = rest.slice(cut);
      }
      const next = line ? `${line} ${rest}` : rest;
      if (font.widthOfTextAtSize(next, size) > width) {
        flush();
        line = rest;
      } else line = next;
    }
    if (line) flush();
  }
}
