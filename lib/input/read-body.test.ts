import { describe, expect, it } from "vitest";
import { deflateSync, gzipSync } from "node:zlib";
import { readBodyBytes } from "@/lib/input/read-body";

// Log shippers compress what they send (Fluent Bit's http output with compress gzip, Vector's http sink,
// the OpenTelemetry Collector's otlphttp exporter by default): bodies are inflated, within the same limit.

const post = (body: Uint8Array | string, encoding?: string) =>
  new Request("http://localhost/api/v1/events/auth", {
    method: "POST",
    body: body as BodyInit,
    headers: encoding ? { "content-encoding": encoding } : {},
  });
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe("request bodies", () => {
  const events = JSON.stringify([{ time: "2026-11-30T02:10:45Z", api: "x", outcome: "success" }]);

  it("inflates gzip and deflate bodies, and reads plain ones as they are", async () => {
    expect(text(await readBodyBytes(post(gzipSync(events), "gzip"), 1024))).toBe(events);
    expect(text(await readBodyBytes(post(deflateSync(events), "Deflate"), 1024))).toBe(events);
    expect(text(await readBodyBytes(post(events), 1024))).toBe(events);
    expect(text(await readBodyBytes(post(events, "identity"), 1024))).toBe(events);
  });

  it("holds the limit for the inflated bytes: a small bomb is refused (413), not expanded", async () => {
    const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024, 0x20));
    expect(bomb.length).toBeLessThan(100 * 1024);
    await expect(readBodyBytes(post(bomb, "gzip"), 1024 * 1024)).rejects.toMatchObject({ code: "PAYLOAD_TOO_LARGE" });
  });

  it("refuses encodings it does not know (415) and bodies that are not what they claim (400)", async () => {
    await expect(readBodyBytes(post(events, "br"), 1024)).rejects.toMatchObject({ code: "UNSUPPORTED_MEDIA_TYPE" });
    await expect(readBodyBytes(post(events, "gzip"), 1024)).rejects.toMatchObject({
      code: "VALIDATION",
      message: "The body is not valid gzip data.",
    });
  });
});

describe("a body that trickles", () => {
  it("is cancelled and refused (408) once its deadline passes, whatever has arrived", async () => {
    let cancelled = false;
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode("[{"));
        // …and nothing more: a sender holding its upload open.
      },
      cancel() {
        cancelled = true;
      },
    });
    const request = new Request("http://localhost/api/v1/traffic", {
      method: "POST",
      body: stream,
      duplex: "half",
    } as RequestInit);
    const started = Date.now();
    await expect(readBodyBytes(request, 1024, { deadlineMs: 300 })).rejects.toMatchObject({
      code: "REQUEST_TIMEOUT",
      status: 408,
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(cancelled).toBe(true);
  });

  it("is read whole when it ends before the deadline", async () => {
    const body = JSON.stringify([{ a: 1 }]);
    expect(new TextDecoder().decode(await readBodyBytes(post(body), 1024, { deadlineMs: 5000 }))).toBe(body);
  });
});
