import "server-only";
import PDFDocument from "pdfkit";
import type { IndexInput } from "@/lib/evidence/index-html";
import { runsOf, type Weight } from "@/lib/evidence/pdf-fonts";

// report.pdf: the bundle's summary (scope, provenance, per-control outcome, gaps, what each data file
// holds) for filing. PDFKit with embedded Noto fonts (lib/evidence/pdf-fonts.ts), so every name prints
// as it was written; tagged (headings, paragraphs, lists, tables) for screen readers, with document
// metadata and page numbers. The document dates are the data's time, so the same data gives the same
// bytes (the export time is in manifest.json).

const MARGIN = 50;
const INK = "#1a1a1a";
const MUTED = "#555555";

type Doc = InstanceType<typeof PDFDocument>;

export async function renderReport(input: IndexInput): Promise<Buffer> {
  const at = input.dataAsOf ? new Date(input.dataAsOf) : new Date(0);
  const doc = new PDFDocument({
    size: "A4",
    margin: MARGIN,
    bufferPages: true,
    tagged: true,
    lang: "en-AU",
    displayTitle: true,
    pdfVersion: "1.7",
    // An embedded face from the start, so the standard fonts are never loaded.
    font: runsOf("a", 400)[0]!.face.file,
    info: {
      Title: input.title,
      Author: "ApiLedger",
      Subject: `Evidence for the ISM network-API controls, ${input.period}`,
      Keywords: "ISM-2013 ISM-2014 ISM-2015 ISM-1817 ISM-1818 ISM-1910 access review evidence",
      Creator: `ApiLedger ${input.appVersion}`,
      Producer: `ApiLedger ${input.appVersion} (PDFKit)`,
      CreationDate: at,
      ModDate: at,
    },
  });
  const chunks: Uint8Array[] = [];
  doc.on("data", (chunk: Uint8Array) => chunks.push(chunk));
  const done = new Promise<void>((resolve, reject) => {
    doc.on("end", () => resolve());
    doc.on("error", reject);
  });

  const w = new Writer(doc);
  w.heading("H1", input.title, 17);
  w.paragraph(`Evidence for the ISM network-API controls for ${input.period} (${input.from} to ${input.until}, UTC).`);

  w.heading("H2", "Scope and provenance", 12.5);
  w.list(
    [
      ["Controls", input.controls.map((c) => c.label).join(", ")],
      ["Teams", input.teams.length ? input.teams.join(", ") : "All teams"],
      ["APIs at period end", String(input.apiCount)],
      [
        "Data as of",
        input.dataAsOf ? `${input.dataAsOf} (who exported it and when: manifest.json)` : "no changes recorded",
      ],
      ["Exported with", `ApiLedger ${input.appVersion}`],
      ["ISM catalog", input.catalog ?? "none imported (built-in summaries)"],
      [
        "Audit log",
        input.auditHead ? `entries up to no. ${input.auditHead.seq}, hash ${input.auditHead.hash}` : "empty",
      ],
      ["Signing key", `Ed25519, SHA-256 fingerprint ${input.fingerprint}`],
    ].map(([label, value]) => `${label}: ${value}`),
  );

  w.heading("H2", "Controls", 12.5);
  if (!input.apiCount) w.paragraph("No APIs were in scope at the end of this period.");
  w.table(
    "Each control: the APIs it applies to, and how many meet it",
    ["Control", "Applies to", "Met", "Not met", "Cannot be judged"],
    input.controls.map((c) => [c.label, c.applicable, c.met, c.notMet, c.cannotJudge].map(String)),
    [0.36, 0.16, 0.12, 0.14, 0.22],
  );
  for (const c of input.controls) {
    w.paragraph(c.label, 700);
    w.paragraph(c.summary);
  }

  w.heading("H2", "Gaps", 12.5);
  if (!input.gaps.length) w.paragraph("No gaps found.");
  for (const g of input.gaps) {
    w.paragraph(g.text, 700);
    w.list(g.items);
  }

  w.heading("H2", "Evidence in this bundle", 12.5);
  w.table(
    "The data files of this bundle",
    ["Section", "Rows", "Files"],
    input.sections.map((s) => [s.title, s.rows ? String(s.rows) : "nothing in scope", `data/${s.name}.csv, .json`]),
    [0.45, 0.2, 0.35],
  );
  w.paragraph("Check the bundle with the steps in VERIFY.md (sha256sum and openssl) before relying on it.");

  w.pageNumbers();
  doc.end();
  await done;
  return Buffer.concat(chunks);
}

class Writer {
  private readonly width: number;

  constructor(private readonly doc: Doc) {
    this.width = doc.page.width - 2 * MARGIN;
  }

  heading(type: "H1" | "H2", text: string, size: number): void {
    this.doc.moveDown(type === "H1" ? 0 : 0.6);
    this.block(type, text, { weight: 700, size });
    this.doc.moveDown(0.25);
  }

  paragraph(text: string, weight: Weight = 400): void {
    this.block("P", text, { weight, size: 9.5 });
    this.doc.moveDown(0.3);
  }

  /** A bulleted list: every item printed, however many there are. */
  list(items: readonly string[]): void {
    if (!items.length) return;
    const list = this.doc.struct("L");
    this.doc.addStructure(list);
    for (const item of items) {
      const li = this.doc.struct("LI");
      list.add(li);
      li.add(this.doc.struct("Lbl", {}, () => this.write("•", { weight: 400, size: 9.5, x: MARGIN + 6 })));
      // The body starts on the label's line, beside it.
      this.doc.moveUp();
      li.add(this.doc.struct("LBody", {}, () => this.write(item, { weight: 400, size: 9.5, x: MARGIN + 18 })));
      li.end();
      this.doc.moveDown(0.15);
    }
    list.end();
    this.doc.moveDown(0.3);
  }

  /** A table of our own words and numbers (one face per cell), with a header row a screen reader names. */
  table(title: string, header: string[], rows: string[][], fractions: number[]): void {
    const font = (weight: Weight) => ({ src: runsOf("a", weight)[0]!.face.file, size: 9 });
    this.doc.moveDown(0.2);
    this.doc.table({
      structParent: this.doc,
      // The cell font is taken from the column, row or cell (not the default style).
      columnStyles: fractions.map((f) => ({ width: f * this.width, font: font(400) })),
      defaultStyle: { padding: 3, border: 0.5, borderColor: "#bbbbbb", textColor: INK },
      data: [
        header.map((text) => ({ text, type: "TH", scope: "Column", font: font(700), backgroundColor: "#eef1f5" })),
        ...rows,
      ],
    } as Parameters<Doc["table"]>[0]);
    this.doc.x = MARGIN;
    this.doc.moveDown(0.2);
    this.block("P", title, { weight: 400, size: 8, color: MUTED });
    this.doc.moveDown(0.3);
  }

  /** "Page n of N" at the foot of every page, marked as pagination (not part of the text). */
  pageNumbers(): void {
    const { start, count } = this.doc.bufferedPageRange();
    for (let i = start; i < start + count; i++) {
      this.doc.switchToPage(i);
      this.doc.markContent("Artifact", { type: "Pagination" });
      const bottom = this.doc.page.margins.bottom;
      this.doc.page.margins.bottom = 0;
      this.write(`Page ${i + 1} of ${count}`, {
        weight: 400,
        size: 8,
        color: MUTED,
        x: MARGIN,
        y: this.doc.page.height - bottom / 2 - 4,
        align: "center",
      });
      this.doc.page.margins.bottom = bottom;
      this.doc.endMarkedContent();
    }
  }

  private block(type: string, text: string, style: TextStyle): void {
    this.doc.addStructure(this.doc.struct(type, {}, () => this.write(text, style)));
  }

  /** Text in as many faces as its characters need, wrapped as one paragraph. */
  private write(text: string, style: TextStyle): void {
    const runs = runsOf(text, style.weight);
    const x = style.x ?? MARGIN;
    const width = this.width - (x - MARGIN);
    this.doc.fillColor(style.color ?? INK).fontSize(style.size);
    runs.forEach((run, i) => {
      this.doc.font(run.face.file);
      const options = { width, continued: i < runs.length - 1, align: style.align ?? "left", lineGap: 1.5 };
      if (i === 0) this.doc.text(run.text, x, style.y ?? this.doc.y, options);
      else this.doc.text(run.text, options);
    });
    this.doc.x = MARGIN;
  }
}

type TextStyle = {
  weight: Weight;
  size: number;
  color?: string;
  x?: number;
  y?: number;
  align?: "left" | "center";
};
