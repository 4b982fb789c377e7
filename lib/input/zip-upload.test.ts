import { describe, expect, it } from "vitest";
import { entryPathProblem, readZipUpload, resolveInside, type ZipLimits } from "@/lib/input/zip-upload";
import { BUNDLE_LIMITS } from "@/lib/backstage/catalog-bundle";
import { buildZip, lowEntropyText, renameEntry, setEntryFlags } from "@/lib/testing/forged-zip";

const refused = async (zip: Buffer, limits: ZipLimits = BUNDLE_LIMITS) => {
  const read = await readZipUpload(zip, limits);
  if (read.ok) throw new Error("the archive was accepted");
  return read.errors;
};
const plain = [{ name: "catalog-info.yaml", data: "kind: API\n" }];

describe("reading an uploaded ZIP archive", () => {
  it("reads every file of a well-formed archive, folders included, names in NFC", async () => {
    const read = await readZipUpload(
      await buildZip([
        ...plain,
        { name: "specs/openapi.yaml", data: "openapi: 3.1.0\n" },
        { name: "Re\u0301sume\u0301.txt", data: "x" },
      ]),
      BUNDLE_LIMITS,
    );
    expect(read.ok && [...read.files.keys()]).toEqual(["catalog-info.yaml", "specs/openapi.yaml", "Résumé.txt"]);
    expect(read.ok && read.files.get("specs/openapi.yaml")!.toString()).toBe("openapi: 3.1.0\n");
  });

  it("refuses what is not a ZIP archive, or a damaged one, with a sentence", async () => {
    expect(await refused(Buffer.from("kind: API\n"))).toEqual([
      expect.stringMatching(/^The file is not a readable ZIP archive/),
    ]);
    const zip = await buildZip(plain);
    expect((await refused(zip.subarray(0, zip.length - 10)))[0]).toMatch(/not a readable ZIP archive|damaged/);
  });

  it("refuses more entries than the limit before reading any", async () => {
    const many = Array.from({ length: BUNDLE_LIMITS.maxEntries + 1 }, (_, i) => ({ name: `f${i}.txt`, data: "x" }));
    expect(await refused(await buildZip(many))).toEqual([`The archive holds 1001 entries; the limit is 1000.`]);
  });

  it("refuses a file over the per-file limit, an archive over the total, and a zip bomb by its ratio", async () => {
    // 17 MB that deflates about sevenfold: too large, though no bomb.
    const large = await buildZip([...plain, { name: "huge.yaml", data: lowEntropyText(17 * 1024 * 1024) }]);
    expect(large.length).toBeLessThan(5 * 1024 * 1024);
    expect(await refused(large)).toEqual(['"huge.yaml" is 17 MB; the limit per file is 16 MB.']);
    // Three files each within the limit, together over the total (a smaller total, to keep the test quick).
    const total = await buildZip([1, 2, 3].map((i) => ({ name: `part-${i}.yaml`, data: lowEntropyText(40_000) })));
    expect(await refused(total, { ...BUNDLE_LIMITS, maxTotalBytes: 100_000 })).toEqual([
      "The archive inflates to 118 KB; the limit is 98 KB.",
    ]);
    // 10 MB of zeros deflates to about 10 KB: a thousandfold.
    const bomb = await buildZip([...plain, { name: "bomb.yaml", data: Buffer.alloc(10 * 1024 * 1024) }]);
    expect(await refused(bomb)).toEqual([
      '"bomb.yaml" inflates more than 100 times its compressed size; it is refused as a possible zip bomb.',
    ]);
    // Small files compress oddly and cost nothing: not judged by their ratio.
    expect(
      (await readZipUpload(await buildZip([{ name: "a.yaml", data: Buffer.alloc(4096) }]), BUNDLE_LIMITS)).ok,
    ).toBe(true);
  });

  it("refuses names that climb out, are absolute, use backslashes or drive letters, or are not UTF-8", async () => {
    const forged = async (name: string | Buffer) =>
      refused(
        renameEntry(
          await buildZip([{ name: "Q".repeat(Buffer.byteLength(name)), data: "x" }]),
          "Q".repeat(Buffer.byteLength(name)),
          name,
        ),
      );
    expect(await forged("../../etc/passwd")).toEqual([
      'The entry "../../etc/passwd" climbs out of the archive with ...',
    ]);
    expect(await forged("a/../../b.yaml")).toEqual(['The entry "a/../../b.yaml" climbs out of the archive with ...']);
    expect(await forged("/etc/passwd")).toEqual(['The entry "/etc/passwd" is an absolute path.']);
    expect(await forged("..\\..\\win.ini")).toEqual(['The entry "..\\\\..\\\\win.ini" contains a backslash.']);
    expect(await forged("C:/Windows/win.ini")).toEqual(['The entry "C:/Windows/win.ini" starts with a drive letter.']);
    expect(await forged("nul\u0000.yaml")).toEqual([expect.stringMatching(/contains a NUL character\.$/)]);
    expect(await forged("evil\u202Elmay.exe")).toEqual([expect.stringMatching(/bidirectional control character/)]);
    expect(await forged(Buffer.from([0x66, 0xff, 0xfe, 0x2e, 0x79]))).toEqual([
      expect.stringMatching(/^An entry's name is not UTF-8 .*save the ZIP with UTF-8 names\.$/),
    ]);
  });

  it("refuses symbolic links, encrypted entries and names given twice (also as two spellings of one name)", async () => {
    const link = await buildZip([...plain, { name: "openapi.yaml", data: "/etc/passwd", mode: 0o120777 }]);
    expect(await refused(link)).toEqual(['"openapi.yaml" is a symbolic link; links are not followed.']);
    expect(await refused(setEntryFlags(await buildZip(plain), 1))).toEqual([
      '"catalog-info.yaml" is encrypted; send it unencrypted.',
    ]);
    expect(await refused(await buildZip([...plain, ...plain]))).toEqual([
      '"catalog-info.yaml" appears twice in the archive.',
    ]);
    const spellings = await buildZip([
      { name: "caf\u00e9.yaml", data: "a" },
      { name: "cafe\u0301.yaml", data: "b" },
    ]);
    expect(await refused(spellings)).toEqual(['"café.yaml" appears twice in the archive.']);
  });
});

describe("names and references inside an archive", () => {
  it("judges entry names", () => {
    expect(entryPathProblem("specs/openapi.yaml")).toBeNull();
    expect(entryPathProblem("specs/")).toBeNull();
    expect(entryPathProblem("specs//openapi.yaml")).toMatch(/empty or \. segment/);
    expect(entryPathProblem("./openapi.yaml")).toMatch(/empty or \. segment/);
  });

  it("resolves a reference from its catalog file's folder, never outside the archive", () => {
    expect(resolveInside("", "./openapi.yaml")).toEqual({ path: "openapi.yaml" });
    expect(resolveInside("services/ledger", "openapi.yaml")).toEqual({ path: "services/ledger/openapi.yaml" });
    expect(resolveInside("services/ledger", "../shared/openapi.yaml")).toEqual({
      path: "services/shared/openapi.yaml",
    });
    expect(resolveInside("services/ledger", "../../openapi.yaml")).toEqual({ path: "openapi.yaml" });
    const problem = (from: string, ref: string) => (resolveInside(from, ref) as { problem: string }).problem;
    expect(problem("", "../openapi.yaml")).toBe("points outside the bundle");
    expect(problem("services/ledger", "../../../etc/passwd")).toBe("points outside the bundle");
    expect(problem("", "%2e%2e/%2e%2e/etc/passwd")).toBe("points outside the bundle");
    expect(problem("", "/etc/passwd")).toMatch(/absolute path/);
    expect(problem("", "..\\openapi.yaml")).toMatch(/backslash/);
    expect(problem("", "C:/openapi.yaml")).toMatch(/URL or drive path/);
    expect(problem("", "file:///etc/passwd")).toMatch(/URL or drive path/);
    expect(problem("", "open%ZZapi.yaml")).toMatch(/broken % escape/);
    expect(problem("", "open\u0000api.yaml")).toMatch(/NUL/);
  });
});
