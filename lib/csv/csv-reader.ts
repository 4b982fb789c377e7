import { parse } from "csv-parse/sync";
import { cleanText } from "@/lib/input/text";

// The file-level rules every CSV import shares (clients, training attendance): size and row limits, a
// header naming only known columns, each once, with the required ones present. Row-level checks are
// the importer's; a file failing these imports nothing and shows why.
export type CsvTable = {
  fileErrors: string[];
  header: string[];
  rows: { line: number; cells: string[]; get: (column: string) => string }[];
};

export function readCsvTable(
  text: string,
  spec: { columns: readonly string[]; required: readonly string[]; maxBytes: number; maxRows: number },
): CsvTable {
  const fail = (fileErrors: string[]): CsvTable => ({ fileErrors, header: [], rows: [] });
  if (Buffer.byteLength(text) > spec.maxBytes) return fail([`The file is larger than ${spec.maxBytes / 1048576} MB.`]);
  let records: string[][];
  try {
    records = parse(text.replace(/^\uFEFF/, ""), { relax_column_count: true, skip_empty_lines: true, trim: true });
  } catch (error) {
    return fail([`The file is not valid CSV: ${(error as Error).message}`]);
  }
  const header = (records[0] ?? []).map((h) => h.trim().toLowerCase());
  const unknown = header.filter((h) => !spec.columns.includes(h));
  const missing = spec.required.filter((c) => !header.includes(c));
  const duplicated = header.filter((h, i) => header.indexOf(h) !== i);
  const fileErrors = [
    ...(header.length === 0 ? ["The file is empty."] : []),
    ...(unknown.length
      ? [`Unknown column${unknown.length > 1 ? "s" : ""}: ${unknown.join(", ")}. Allowed: ${spec.columns.join(", ")}.`]
      : []),
    ...(missing.length && header.length
      ? [`Missing required column${missing.length > 1 ? "s" : ""}: ${missing.join(", ")}.`]
      : []),
    ...(duplicated.length ? [`Column listed twice: ${[...new Set(duplicated)].join(", ")}.`] : []),
    ...(records.length - 1 > spec.maxRows
      ? [`The file has ${records.length - 1} rows; the limit is ${spec.maxRows}.`]
      : []),
    ...(records.length <= 1 && header.length ? ["The file has a header but no rows."] : []),
  ];
  if (fileErrors.length) return fail(fileErrors);
  // The outside-text rule for every cell (the file decoded as UTF-8 cannot hold a lone surrogate, but it
  // can hold NUL and control characters); cells are NFC-normalised like typed text.
  const textErrors: string[] = [];
  for (let r = 1; r < records.length && textErrors.length < 20; r++) {
    const cells = records[r]!;
    for (let c = 0; c < cells.length; c++) {
      const cleaned = cleanText(cells[c]!);
      if (cleaned.ok) cells[c] = cleaned.value;
      else textErrors.push(`Line ${r + 1}, column ${header[c] ?? c + 1}: ${cleaned.problem}.`);
    }
  }
  if (textErrors.length) return fail(textErrors);
  return {
    fileErrors: [],
    header,
    rows: records
      .slice(1)
      .map((cells, i) => ({ line: i + 2, cells, get: (column: string) => cells[header.indexOf(column)] ?? "" })),
  };
}

/** A refused import's messages for the form's file field: the file's own, then each bad row's. */
export function fileProblems(preview: { fileErrors: string[]; rows: { line: number; errors: string[] }[] }): string[] {
  return [
    ...preview.fileErrors,
    ...preview.rows.filter((r) => r.errors.length).map((r) => `Line ${r.line}: ${r.errors.join(" ")}`),
  ].slice(0, 50);
}
