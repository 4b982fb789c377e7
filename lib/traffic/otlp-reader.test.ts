import { JsonLogsSerializer, ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import { describe, expect, it } from "vitest";
import { otlpProtobufRecords } from "@/lib/traffic/otlp-protobuf";
import { otlpRecords } from "@/lib/traffic/otlp-records";
import { readOtlpBatch } from "@/lib/traffic/otlp-reader";
import { readAll } from "@/lib/traffic/read-batch";
import { sdkLogRecords, sdkSpans, type Call } from "@/lib/testing/otlp";

// The OTLP reading thread gives back exactly what reading the same body on the server's thread gives —
// the same readings, keys and quarantine text, as of the same time — and refuses what the server's
// thread refused, with the same words.

const LIMITS = { maxDepth: 32, maxElements: 2_000_000, maxRecords: 10_000 };
const NOW = new Date(Date.now() + 1000);
const calls: Call[] = [
  { status: 200, client: "gl", path: "/v1/ledger" },
  { status: 401, client: "gl", method: "POST", user: "alice" },
  { status: 403, route: "/v1/accounts/{id}", path: "/v1/accounts/7", client: "reporting" },
];

describe("the OTLP reading thread", () => {
  it("reads OTLP/JSON logs and OTLP/protobuf spans as the server's thread does", async () => {
    const json = JsonLogsSerializer.serializeRequest(sdkLogRecords(calls))!;
    const onThread = await readOtlpBatch("logs", "json", json, NOW, LIMITS);
    const here = await readAll("otlp", null, otlpRecords("logs", JSON.parse(new TextDecoder().decode(json))), NOW);
    expect(onThread.received).toBe(3);
    expect(onThread.keyed).toEqual(here);
    expect(onThread.keyed.map((k) => k.reading.ok)).toEqual([true, true, true]);
    // Read as of an hour ago, the records are from the future: each comes back with the text its
    // quarantine row keeps.
    const early = await readOtlpBatch("logs", "json", json, new Date(Date.now() - 3_600_000), LIMITS);
    expect(early.keyed.map((k) => k.reading.ok)).toEqual([false, false, false]);
    expect(JSON.parse(early.keyed[0]!.quarantine!)).toMatchObject({ signal: "log" });

    const proto = ProtobufTraceSerializer.serializeRequest(sdkSpans(calls))!;
    const spans = await readOtlpBatch("traces", "protobuf", proto, NOW, LIMITS);
    expect(spans.keyed).toEqual(await readAll("otlp", null, await otlpProtobufRecords("traces", proto, LIMITS), NOW));
    expect(spans.keyed[0]!.reading).toMatchObject({ ok: true, call: { path: "/v1/ledger", clientId: "gl" } });
  });

  it("refuses a body the server's thread refused, with the same reason", async () => {
    const bytes = (text: string) => new TextEncoder().encode(text);
    await expect(readOtlpBatch("logs", "json", bytes("{not json"), NOW, LIMITS)).rejects.toMatchObject({
      code: "VALIDATION",
      message: expect.stringMatching(/^The request body is not valid JSON: /),
    });
    await expect(readOtlpBatch("logs", "json", new Uint8Array([0x7b, 0xff, 0x7d]), NOW, LIMITS)).rejects.toMatchObject({
      code: "VALIDATION",
      message: "The request body is not UTF-8 text.",
    });
    const deep = `{"resourceLogs":${"[".repeat(100)}${"]".repeat(100)}}`;
    await expect(readOtlpBatch("logs", "json", bytes(deep), NOW, LIMITS)).rejects.toMatchObject({
      code: "VALIDATION",
      message: expect.stringMatching(/nested/),
    });
    await expect(readOtlpBatch("logs", "json", bytes('{"resourceLogs":{}}'), NOW, LIMITS)).rejects.toMatchObject({
      code: "VALIDATION",
      message: "OTLP/JSON's resourceLogs must be a list.",
    });
    // More records than a batch holds: counted, not read (the caller refuses the batch).
    const many = JsonLogsSerializer.serializeRequest(sdkLogRecords(calls.slice(0, 3)))!;
    expect(await readOtlpBatch("logs", "json", many, NOW, { ...LIMITS, maxRecords: 2 })).toMatchObject({
      received: 3,
      keyed: [],
    });
  });
});
