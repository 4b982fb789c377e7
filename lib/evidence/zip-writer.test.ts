import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { text } from "node:stream/consumers";
import { afterAll, describe, expect, it } from "vitest";
import { ZipWriter } from "@/lib/evidence/zip-writer";
import { deflateToFile } from "@/lib/evidence/deflate-file";
import { forEachZipEntry } from "@/lib/evidence/zip-entries";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "zip-writer-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const sha256 = (s: string | Buffer) => createHash("sha256").update(s).digest("hex");

async function write(name: string): Promise<{ file: string; zip: ZipWriter; contents: Map<string, string> }> {
  const file = path.join(dir, name);
  const zip = new ZipWriter(fs.createWriteStream(file));
  const big = Array.from({ length: 20_000 }, (_, i) => `row ${i},"quoted",é ✓\r\n`).join("");
  const noise = Array.from({ length: 5000 }, (_, i) => sha256(String(i))).join("");
  const contents = new Map([
    ["data/big.csv", big],
    ["data/big.json", `${big}\n`],
    ["empty.txt", ""],
    ["stored.sig", noise],
    ["docs/naïve name.md", "# Title\n"],
  ]);
  let twin: ReturnType<typeof deflateToFile> | null = null;
  zip.add("data/big.csv", function* () {
    twin = deflateToFile(path.join(dir, `${name}.twin`));
    for (let i = 0; i < big.length; i += 70_000) {
      twin.input.write(big.slice(i, i + 70_000));
      yield Buffer.from(big.slice(i, i + 70_000));
    }
    twin.input.end("\n");
  });
  zip.addDeflated("data/big.json", () => twin!.done);
  zip.add("empty.txt", "");
  zip.add("stored.sig", () => [noise], { compress: false });
  zip.add("docs/naïve name.md", "# Title\n");
  await zip.finish();
  return { file, zip, contents };
}

describe("ZipWriter", () => {
  it("writes entries that ZIP readers accept, listing each with its size and SHA-256", async () => {
    const { file, zip, contents } = await write("a.zip");
    const read = new Map<string, string>();
    await forEachZipEntry(file, async (name, stream) => void read.set(name, await text(stream)));
    expect(read).toEqual(contents);
    expect(zip.files).toEqual(
      [...contents].map(([p, c]) => ({ path: p, size: Buffer.byteLength(c), sha256: sha256(c) })),
    );
    expect(zip.bytes).toBe(fs.statSync(file).size);
    expect(zip.sha256).toBe(sha256(fs.readFileSync(file)));
    const unzip = spawnSync("unzip", ["-t", file], { encoding: "utf8" });
    if (!unzip.error) expect(unzip.stdout).toContain("No errors detected");
  });

  it("gives the same bytes for the same content", async () => {
    const [a, b] = [await write("one.zip"), await write("two.zip")];
    expect(a.zip.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(fs.readFileSync(b.file).equals(fs.readFileSync(a.file))).toBe(true);
  });

  it("fails the destination, not a truncated archive, when a source fails", async () => {
    const file = path.join(dir, "broken.zip");
    const destination = fs.createWriteStream(file);
    const zip = new ZipWriter(destination);
    zip.add("a.txt", "fine");
    zip.add("b.txt", async function* () {
      yield "half";
      throw new Error("source failed");
    });
    zip.add("c.txt", "never");
    await expect(zip.finish()).rejects.toThrow("source failed");
    expect(destination.destroyed).toBe(true);
  });
});
