import { describe, expect, it } from "vitest";
import { cefLine, entryRecord, type ForwardedEntry } from "@/lib/siem/records";

const entry = (over: Partial<ForwardedEntry> = {}): ForwardedEntry => ({
  seq: 42,
  at: new Date("2026-12-06T04:00:00.000Z"),
  actorId: "u1",
  actorEmail: "owner@example.com",
  action: "api.update",
  targetType: "api",
  targetId: "a1",
  summary: "Updated Payments API",
  diff: '{"after":{"name":"Payments API"}}',
  ip: "10.0.0.7",
  prevHash: "a".repeat(64),
  hash: "b".repeat(64),
  ...over,
});
// Text a hostile caller may have put in a stored field (lib/input/text.ts keeps what is allowed).
const HOSTILE = 'x=1 | y\\z ] "q" \u202E\u2066 =SUM(A1) <script>alert(1)</script>\nnext line';

describe("what the SIEM receives for an audit entry", () => {
  it("RFC 5424: the entry's columns as one line of JSON, seq, hash and prev in structured data, escaped", () => {
    const line = entryRecord(entry({ summary: HOSTILE, actorEmail: `a"]@example.com` }), {
      format: "rfc5424",
      version: "0.1.0",
      hostname: "app1",
    });
    expect(line).toMatch(/^<109>1 2026-12-06T04:00:00\.000Z app1 apiledger \d+ audit \[audit@32473 seq="42" /);
    expect(line).toContain(`actor="a\\"\\]@example.com"`);
    expect(line).toContain(`hash="${"b".repeat(64)}" prev="${"a".repeat(64)}"]`);
    expect(line).not.toContain("\n");
    const json = JSON.parse(line.slice(line.indexOf("] {") + 2)) as Record<string, unknown>;
    expect(json).toMatchObject({ seq: 42, summary: HOSTILE, at: "2026-12-06T04:00:00.000Z", hash: "b".repeat(64) });
  });

  it("a batch that raised failed-authentication alerts is a warning and says how many", () => {
    const alerted = entry({ action: "events.ingest", diff: '{"accepted":20,"alerts":2}' });
    expect(entryRecord(alerted, { format: "rfc5424", version: "1" })).toMatch(/^<108>1 .*\[alert@32473 raised="2"\]/);
    expect(cefLine(alerted, "1")).toMatch(/\|7\|.* cn1Label=alertsRaised cn1=2 /);
    expect(entryRecord(entry(), { format: "rfc5424", version: "1" })).not.toContain("alert@32473");
  });

  it("CEF: header pipes and backslashes escaped, extension = and \\ escaped, line breaks kept out", () => {
    const line = cefLine(entry({ summary: HOSTILE, ip: "not-an-ip" }), "0.1|0");
    const [head, ...rest] = line.split(/(?<!\\)\|/);
    expect(head).toBe("CEF:0");
    expect(rest.slice(0, 6)).toEqual([
      "ApiLedger",
      "ApiLedger",
      "0.1\\|0",
      "api.update",
      'x=1 \\| y\\\\z ] "q" \u202E\u2066 =SUM(A1) <script>alert(1)</script> next line',
      "3",
    ]);
    expect(line).toContain('msg=x\\=1 | y\\\\z ] "q" \u202E\u2066 \\=SUM(A1) <script>alert(1)</script>\\nnext line');
    expect(line).toContain("externalId=42 ");
    // src is an address or absent.
    expect(line).not.toContain("src=");
    expect(cefLine(entry(), "1")).toContain(" src=10.0.0.7 ");
  });
});
