import { describe, expect, it } from "vitest";
import { EMPTY_MAPPING, ZFieldMapping, parsePathExpression } from "@/lib/traffic/field-mapping";
import { compileMapping, readRecord, recordsOf } from "@/lib/traffic/profiles";
import { JSON_MAPPING, jsonRecord } from "@/lib/testing/json-mapping";

// The "any JSON" format: an admin's path expressions, and the calls they read.

const compiled = (over: Partial<typeof JSON_MAPPING> = {}) =>
  compileMapping(JSON.stringify({ ...JSON_MAPPING, ...over }));

describe("path expressions", () => {
  it("reads dotted names, quoted names with dots or dashes, indexes and alternatives", () => {
    expect(parsePathExpression("request.headers.host")).toEqual([["request", "headers", "host"]]);
    expect(parsePathExpression('attributes["http.request.method"]')).toEqual([["attributes", "http.request.method"]]);
    expect(parsePathExpression("tags[2].name | ['x-client-id']")).toEqual([["tags", 2, "name"], ["x-client-id"]]);
    expect(parsePathExpression("user name.id")).toEqual([["user name", "id"]]);
  });

  it("says what is wrong with one that cannot be read, and refuses hostile text", () => {
    const problems = [
      "a..b",
      "a.",
      ".a",
      "a[",
      "a[x]",
      "a[100000]",
      "a | ",
      "a .b",
      "a\u0000b",
      "a\u202eb",
      "a\ud800",
      "x".repeat(301),
      "a|b|c|d|e",
      Array.from({ length: 17 }, () => "a").join("."),
    ].map((p) => parsePathExpression(p));
    for (const problem of problems) expect(typeof problem).toBe("string");
    expect(problems[4]).toMatch(/index up to 1000 or a quoted name/);
  });

  it("a mapping needs a time, a method and somewhere the call went", () => {
    const result = ZFieldMapping.safeParse(EMPTY_MAPPING);
    expect(result.success).toBe(false);
    const fields = result.error!.issues.map((i) => i.path.join("."));
    expect(fields).toEqual(expect.arrayContaining(["time", "method", "path"]));
    expect(ZFieldMapping.safeParse(JSON_MAPPING).success).toBe(true);
  });
});

describe("records read through a mapping", () => {
  const now = new Date();

  it("reads each field where the mapping says, the first alternative that holds a value winning", () => {
    const mapping = compiled();
    const reading = readRecord("json", jsonRecord({ code: 401, id: "r-1" }), now, mapping);
    expect(reading).toMatchObject({
      ok: true,
      call: {
        method: "GET",
        path: "/v1/payments",
        host: "payments.internal.example",
        status: 401,
        outcome: "authn_failure",
        clientId: "reporting",
        principal: "alice",
        eventId: "r-1",
      },
    });
    const noHeader = { ...jsonRecord(), req: { verb: "POST", url: "/v1/x", headers: {} }, app: "billing" };
    expect(readRecord("json", noHeader, now, mapping)).toMatchObject({ ok: true, call: { clientId: "billing" } });
  });

  it("finds only a record's own keys: __proto__ and constructor read nothing", () => {
    const mapping = compiled({ clientId: "__proto__.constructor.name | constructor.name", path: "req.url" });
    const reading = readRecord("json", jsonRecord(), now, mapping);
    expect(reading).toMatchObject({ ok: true, call: { clientId: "" } });
  });

  it("says why a record cannot be read, and reads nothing without a mapping", () => {
    const mapping = compiled();
    expect(readRecord("json", { ...jsonRecord(), ts: "last week" }, now, mapping)).toEqual({
      ok: false,
      reason: "unreadable time “last week”",
    });
    expect(readRecord("json", jsonRecord(), now, null)).toEqual({
      ok: false,
      reason: "the source has no field mapping",
    });
    expect(compileMapping("{not json")).toBeNull();
    expect(compileMapping(JSON.stringify({ ...JSON_MAPPING, time: "" }))).toBeNull();
  });

  it("finds records a body wraps where the mapping says, and says so when they are not there", () => {
    const mapping = compiled({ records: "data.events" });
    const body = { data: { events: [jsonRecord(), jsonRecord()] } };
    expect(recordsOf("json", body, mapping)).toHaveLength(2);
    expect(recordsOf("json", [body, body], mapping)).toHaveLength(4);
    const [missing] = recordsOf("json", { other: 1 }, mapping);
    expect(readRecord("json", missing, now, mapping)).toEqual({
      ok: false,
      reason: "no records where the mapping says they are",
    });
    expect(recordsOf("json", [jsonRecord(), jsonRecord()], compiled())).toHaveLength(2);
  });
});
