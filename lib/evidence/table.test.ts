// A data table's JSON twin is deflated into a scratch file while its CSV goes into the archive: a twin
// that cannot be written must fail the table with its reason, not leave the export waiting.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { describe, expect, it } from "vitest";
import { deflateToFile } from "@/lib/evidence/deflate-file";
import { csvAndJson, type RowsTable } from "@/lib/evidence/table";

const table = (count: number): RowsTable => ({
  name: "things",
  title: "Things",
  description: "Test rows",
  columns: ["id", "note"],
  rows: async function* () {
    for (let i = 0; i < count; i++) yield [i, `=cmd|' /C calc'!A${i} ${"x".repeat(100)}`];
  },
});

async function drain(chunks: AsyncIterable<Buffer>): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const chunk of chunks) out.push(chunk);
  return Buffer.concat(out);
}

describe("csvAndJson", () => {
  it("writes the CSV and its JSON twin with the same rows, counted", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "apiledger-table-"));
    const twin = deflateToFile(path.join(dir, "things.json.deflated"));
    const count = { rows: 0 };
    const csv = (await drain(csvAndJson(table(5000), twin, count))).toString("utf8");
    const json = JSON.parse(zlib.inflateRawSync(fs.readFileSync((await twin.done).file)).toString("utf8")) as {
      id: number;
      note: string;
    }[];
    expect(count.rows).toBe(5000);
    expect(json).toHaveLength(5000);
    expect(json[4999]!.id).toBe(4999);
    expect(csv.split("\r\n")).toHaveLength(5002);
    // The formula is defused in the CSV, and kept as written in the JSON.
    expect(csv.split("\r\n")[1]).toMatch(/^0,'=cmd/);
    expect(json[0]!.note.startsWith("=cmd")).toBe(true);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("fails with ENOSPC when the twin's disk is full, rather than waiting for it forever", async () => {
    // /dev/full refuses every write with ENOSPC, as a full temporary disk does.
    const twin = deflateToFile("/dev/full");
    await expect(drain(csvAndJson(table(50_000), twin, { rows: 0 }))).rejects.toThrow(/ENOSPC/);
    await expect(twin.done).rejects.toThrow(/ENOSPC/);
  }, 20_000);
});
