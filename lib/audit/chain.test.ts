import { describe, expect, it } from "vitest";
import {
  GENESIS_HASH,
  MAX_LISTED_BROKEN,
  canonicalJson,
  diffRecords,
  entryHash,
  storableFields,
  storableText,
  verifyEntries,
  type VerifiableEntry,
} from "@/lib/audit/chain";

function chain(n: number): VerifiableEntry[] {
  const out: VerifiableEntry[] = [];
  let prevHash = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const fields = {
      at: new Date(Date.UTC(2026, 0, i)),
      actorId: "u1",
      actorEmail: "a@x",
      action: "api.update",
      targetType: "api",
      targetId: `api${i}`,
      summary: `change ${i}`,
      diff: canonicalJson({ n: i }),
      ip: "",
      prevHash,
    };
    const hash = entryHash(fields);
    out.push({ ...fields, seq: i, hash });
    prevHash = hash;
  }
  return out;
}

describe("audit hash chain", () => {
  it("verifies an untouched chain and reports its head", () => {
    const entries = chain(5);
    expect(verifyEntries(entries)).toEqual({
      ok: true,
      count: 5,
      head: { seq: 5, hash: entries[4]!.hash },
      brokenCount: 0,
      broken: [],
    });
  });

  it("detects an edited entry", () => {
    const entries = chain(5);
    entries[2] = { ...entries[2]!, summary: "nothing to see" };
    expect(verifyEntries(entries)).toMatchObject({
      ok: false,
      brokenCount: 1,
      broken: [{ seq: 3, reason: expect.stringMatching(/altered/) }],
    });
  });

  it("detects a removed entry", () => {
    const entries = chain(5);
    entries.splice(1, 1);
    expect(verifyEntries(entries)).toMatchObject({
      ok: false,
      brokenCount: 1,
      broken: [{ seq: 3, reason: expect.stringMatching(/does not follow entry 1/) }],
    });
  });

  it("detects a rewritten entry even when its own hash is recomputed", () => {
    const entries = chain(4);
    const { seq, hash: _h, ...fields } = entries[1]!;
    const forged = { ...fields, actorEmail: "someone-else@x" };
    entries[1] = { ...forged, seq, hash: entryHash(forged) };
    expect(verifyEntries(entries)).toMatchObject({ ok: false, brokenCount: 1, broken: [{ seq: 3 }] });
  });

  it("reports every broken entry, not only the first: a poisoned entry cannot hide tampering after it", () => {
    const entries = chain(10);
    entries[1] = { ...entries[1]!, summary: "poisoned" };
    entries[6] = { ...entries[6]!, actorEmail: "covered-up@x" };
    entries.splice(8, 1);
    const report = verifyEntries(entries);
    expect(report.brokenCount).toBe(3);
    expect(report.broken.map((b) => b.seq)).toEqual([2, 7, 10]);
    expect(report.broken[2]!.reason).toMatch(/does not follow entry 8/);
    expect(report.head).toEqual({ seq: 10, hash: entries.at(-1)!.hash });
  });

  it("counts every broken entry but lists a bounded number", () => {
    const entries = chain(MAX_LISTED_BROKEN + 50).map((e) => ({ ...e, summary: "x" }));
    const report = verifyEntries(entries);
    expect([report.brokenCount, report.broken.length]).toEqual([MAX_LISTED_BROKEN + 50, MAX_LISTED_BROKEN]);
  });

  it("a log that lost its first entries does not start at the genesis hash", () => {
    const entries = chain(3).slice(1);
    expect(verifyEntries(entries).broken).toEqual([
      { seq: 2, reason: expect.stringMatching(/does not start the chain/) },
    ]);
  });

  it("keeps the hash of a well-formed entry exactly as it was (existing chains stay verifiable)", () => {
    // Pinned: the hash main computed for this entry before text was made storable; changing the hash input would break every stored chain.
    const fields = {
      at: new Date("2026-11-01T09:30:00.123Z"),
      actorId: "u1",
      actorEmail: "zoë@agency.example",
      action: "api.update",
      targetType: "api",
      targetId: "cm1",
      summary: "Renamed “Ledger” → Payments 💳",
      diff: canonicalJson({ changes: { name: { from: "Ledger", to: "Payments" } }, kind: "update" }),
      ip: "10.0.0.1",
      prevHash: GENESIS_HASH,
    };
    expect(storableFields(fields)).toEqual(fields);
    expect(entryHash(storableFields(fields))).toBe("f1105d67e7137ea8711cd1105dfb753f4de5ccde2d4289ec9781b044847f18b5");
  });

  it("makes lone surrogates and NUL storable (U+FFFD), the same on SQLite and PostgreSQL", () => {
    expect(storableText("a\ud800b\udc00c\u0000d")).toBe("a\uFFFDb\uFFFDc\uFFFDd");
    expect(storableText("😀 ok")).toBe("😀 ok");
    // As both drivers encode it: UTF-8 and back gives the same string.
    const stored = storableText("x\ud83dy\u0000");
    expect(Buffer.from(stored, "utf8").toString("utf8")).toBe(stored);
  });

  it("canonical JSON does not depend on key order", () => {
    expect(canonicalJson({ b: 1, a: { d: 2, c: [3, { f: 1, e: 2 }] } })).toBe(
      canonicalJson({ a: { c: [3, { e: 2, f: 1 }], d: 2 }, b: 1 }),
    );
  });

  it("diffs only changed fields", () => {
    expect(diffRecords({ a: 1, b: "x", updatedAt: 1 }, { a: 1, b: "y", updatedAt: 2 })).toEqual({
      b: { from: "x", to: "y" },
    });
    expect(diffRecords(null, { a: 1 })).toEqual({ a: { from: null, to: 1 } });
  });
});
