import { describe, expect, it } from "vitest";
import { GENESIS_HASH, canonicalJson, diffRecords, entryHash, verifyEntries, type VerifiableEntry } from "@/lib/audit/chain";

function chain(n: number): VerifiableEntry[] {
  const out: VerifiableEntry[] = [];
  let prevHash = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const fields = { at: new Date(Date.UTC(2026, 0, i)), actorId: "u1", actorEmail: "a@x", action: "api.update", targetType: "api", targetId: `api${i}`, summary: `change ${i}`, diff: canonicalJson({ n: i }), ip: "", prevHash };
    const hash = entryHash(fields);
    out.push({ ...fields, seq: i, hash });
    prevHash = hash;
  }
  return out;
}

describe("audit hash chain", () => {
  it("verifies an untouched chain and reports its head", () => {
    const entries = chain(5);
    expect(verifyEntries(entries)).toEqual({ ok: true, count: 5, headHash: entries[4]!.hash });
  });

  it("detects an edited entry", () => {
    const entries = chain(5);
    entries[2] = { ...entries[2]!, summary: "nothing to see" };
    expect(verifyEntries(entries)).toMatchObject({ ok: false, brokenAtSeq: 3, reason: expect.stringMatching(/altered/) });
  });

  it("detects a removed entry", () => {
    const entries = chain(5);
    entries.splice(1, 1);
    expect(verifyEntries(entries)).toMatchObject({ ok: false, brokenAtSeq: 3, reason: expect.stringMatching(/does not follow/) });
  });

  it("detects a rewritten entry even when its own hash is recomputed", () => {
    const entries = chain(4);
    const { seq, hash: _h, ...fields } = entries[1]!;
    const forged = { ...fields, actorEmail: "someone-else@x" };
    entries[1] = { ...forged, seq, hash: entryHash(forged) };
    expect(verifyEntries(entries)).toMatchObject({ ok: false, brokenAtSeq: 3 });
  });

  it("canonical JSON does not depend on key order", () => {
    expect(canonicalJson({ b: 1, a: { d: 2, c: [3, { f: 1, e: 2 }] } })).toBe(canonicalJson({ a: { c: [3, { e: 2, f: 1 }], d: 2 }, b: 1 }));
  });

  it("diffs only changed fields", () => {
    expect(diffRecords({ a: 1, b: "x", updatedAt: 1 }, { a: 1, b: "y", updatedAt: 2 })).toEqual({ b: { from: "x", to: "y" } });
    expect(diffRecords(null, { a: 1 })).toEqual({ a: { from: null, to: 1 } });
  });
});
