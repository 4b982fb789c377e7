import { describe, expect, it } from "vitest";
import { keepAliveMs } from "@/lib/server/http-server";

describe("APILEDGER_KEEPALIVE_TIMEOUT", () => {
  it("is 65 s when unset or blank, longer than the 60 s idle timeout of common proxies", () => {
    expect(keepAliveMs(undefined)).toBe(65_000);
    expect(keepAliveMs(" ")).toBe(65_000);
  });
  it("takes whole seconds from 1 to 3600", () => {
    expect(keepAliveMs("1")).toBe(1_000);
    expect(keepAliveMs("3600")).toBe(3_600_000);
  });
  it.each(["0", "3601", "1.5", "-5", "65s", "1e3", "\u202E65", "65\u0000", "0x41"])(
    "refuses %j, naming the setting",
    (v) => {
      expect(() => keepAliveMs(v)).toThrow(/APILEDGER_KEEPALIVE_TIMEOUT/);
    },
  );
});
