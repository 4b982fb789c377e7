import { describe, expect, it } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { metricsToken, presentsToken } from "@/lib/metrics/metrics-token";

const good = "0123456789abcdef0123456789abcdef";

describe("the metrics token setting", () => {
  it("is off when unset, read from the file when only the file is given, and the variable wins", () => {
    expect(metricsToken({})).toBeNull();
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "apiledger-metrics-")), "token");
    fs.writeFileSync(file, `${good}\n`);
    expect(metricsToken({ APILEDGER_METRICS_TOKEN_FILE: file })).toBe(good);
    expect(metricsToken({ APILEDGER_METRICS_TOKEN_FILE: file, APILEDGER_METRICS_TOKEN: `${good}x` })).toBe(`${good}x`);
    expect(() => metricsToken({ APILEDGER_METRICS_TOKEN_FILE: "/nonexistent/token" })).toThrow(/cannot be read/);
  });

  it("refuses short tokens and ones with spaces, NUL, bidi controls or other non-ASCII", () => {
    for (const bad of [
      "short",
      `${good.slice(0, 20)} ${good}`,
      `${good}\0`,
      `${good}\u202e`,
      `${good}é`,
      `\ud800${good}`,
    ])
      expect(() => metricsToken({ APILEDGER_METRICS_TOKEN: bad }), JSON.stringify(bad)).toThrow(
        /32 or more printable ASCII/,
      );
  });

  it("opens only to exactly that bearer token", () => {
    // The scheme is case-insensitive (RFC 9110); the token is not.
    expect(presentsToken(`Bearer ${good}`, good)).toBe(true);
    expect(presentsToken(`bearer ${good}`, good)).toBe(true);
    expect(presentsToken(`Bearer ${good.toUpperCase()}`, good)).toBe(false);
    for (const header of [null, "", good, `Bearer ${good} `, `Bearer ${good}x`, `Bearer  ${good}`, `Basic ${good}`])
      expect(presentsToken(header, good), String(header)).toBe(false);
  });
});
