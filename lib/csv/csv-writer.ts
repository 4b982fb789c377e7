// The one CSV writer for every CSV the app produces (the inventory download, the evidence bundle's data
// files): RFC 4180, with spreadsheet formula injection defused. A text cell that starts with = + - @,
// tab or carriage return is prefixed with an apostrophe, so Excel and LibreOffice show it as text instead
// of running it (OWASP "CSV injection"); the bundle's JSON twin of each file keeps the original value.
// Numbers and booleans are written as they are: their text can start with "-" but never be a formula.
//
// Written by hand rather than with csv-stringify because it runs for every cell of a million-event
// bundle, where the library's per-row options handling cost 7 µs a row (measured) and most of the
// garbage collection; the checks below are a character-code switch and one regular expression.

export type CsvValue = string | number | boolean | null | undefined | readonly (string | number)[];

/** Quoted when it holds a comma, quote, CR or LF, or starts with white space (which tools would trim). */
const NEEDS_QUOTES = /[",\r\n]|^\s/;

export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  if (typeof value !== "string") return typeof value === "object" ? csvCell(value.join("; ")) : String(value);
  let s = value;
  switch (s.charCodeAt(0)) {
    case 0x3d: // =
    case 0x2b: // +
    case 0x2d: // -
    case 0x40: // @
    case 0x09: // tab
    case 0x0d: // CR
      s = `'${s}`;
  }
  return NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(values: readonly CsvValue[]): string {
  let line = "";
  for (let i = 0; i < values.length; i++) line += i ? `,${csvCell(values[i])}` : csvCell(values[i]);
  return `${line}\r\n`;
}

/**
 * A CSV download streamed row by row (a byte-order mark first, so spreadsheet programs read UTF-8):
 * the header, then one line per value `rows` yields, mapped by `toLine`.
 */
export function csvDownload<T>(
  header: readonly string[],
  rows: AsyncIterator<T>,
  toLine: (row: T) => readonly CsvValue[],
  filename: string,
): Response {
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode("\uFEFF" + csvLine(header)));
    },
    async pull(controller) {
      const { value, done } = await rows.next();
      if (done) return controller.close();
      controller.enqueue(encoder.encode(csvLine(toLine(value))));
    },
  });
  return new Response(stream, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "no-store",
    },
  });
}
