import { describe, expect, it } from "vitest";
import { normaliseAddress, parseTrustedProxies, resolveSource, type RawSource } from "@/lib/server/source-address";
import { requestSource } from "@/lib/server/request-source";

const raw = (r: Partial<RawSource>): RawSource => ({
  socketAddress: "203.0.113.9",
  encrypted: false,
  forwardedFor: undefined,
  forwardedProto: undefined,
  forwardedHost: undefined,
  host: "ledger.example",
  ...r,
});

describe("normaliseAddress", () => {
  it("unwraps IPv4-mapped IPv6, brackets, ports and zone ids; refuses non-addresses", () => {
    expect(normaliseAddress("::ffff:127.0.0.1")).toBe("127.0.0.1");
    expect(normaliseAddress("::FFFF:10.0.0.1")).toBe("10.0.0.1");
    expect(normaliseAddress("[2001:DB8::1]:443")).toBe("2001:db8::1");
    expect(normaliseAddress("192.0.2.1:8080")).toBe("192.0.2.1");
    expect(normaliseAddress("fe80::1%eth0")).toBe("fe80::1");
    expect(normaliseAddress("unknown")).toBeNull();
    expect(normaliseAddress("1.2.3.4; DROP")).toBeNull();
    expect(normaliseAddress("")).toBeNull();
  });
});

describe("resolveSource", () => {
  it("trusts no proxy by default: spoofed X-Forwarded-For, -Proto and -Host are ignored", () => {
    const s = resolveSource(
      raw({ forwardedFor: "1.1.1.1", forwardedProto: "https", forwardedHost: "evil.example" }),
      parseTrustedProxies(undefined),
    );
    expect(s).toEqual({ address: "203.0.113.9", proto: "http", host: "ledger.example", viaTrustedProxy: false });
    expect(resolveSource(raw({ socketAddress: "::ffff:203.0.113.9" }), parseTrustedProxies("")).address).toBe(
      "203.0.113.9",
    );
  });

  it("with a trusted CIDR, walks X-Forwarded-For from the right, skipping trusted hops", () => {
    const trust = parseTrustedProxies("10.0.0.0/8, 192.168.1.5");
    // client 198.51.100.7 → proxy 192.168.1.5 → proxy 10.2.3.4 → us
    const s = resolveSource(
      raw({
        socketAddress: "::ffff:10.2.3.4",
        forwardedFor: "198.51.100.7, 192.168.1.5",
        forwardedProto: "https",
        forwardedHost: "ledger.example.org",
      }),
      trust,
    );
    expect(s).toEqual({ address: "198.51.100.7", proto: "https", host: "ledger.example.org", viaTrustedProxy: true });
  });

  it("does not believe a client's own prepended X-Forwarded-For beyond the trusted hop", () => {
    const trust = parseTrustedProxies("127.0.0.1/32");
    // the client sent "X-Forwarded-For: 6.6.6.6"; NGINX appended the address it saw.
    expect(
      resolveSource(raw({ socketAddress: "127.0.0.1", forwardedFor: "6.6.6.6, 198.51.100.7" }), trust).address,
    ).toBe("198.51.100.7");
    // a client that claims to be a trusted proxy in its header gets nothing for it either
    expect(
      resolveSource(raw({ socketAddress: "127.0.0.1", forwardedFor: "6.6.6.6, 127.0.0.1, 198.51.100.7" }), trust)
        .address,
    ).toBe("198.51.100.7");
  });

  it("stops at a malformed hop (the proxy that passed it on is recorded)", () => {
    const trust = parseTrustedProxies("127.0.0.1");
    expect(resolveSource(raw({ socketAddress: "127.0.0.1", forwardedFor: "not-an-ip" }), trust).address).toBe(
      "127.0.0.1",
    );
    expect(resolveSource(raw({ socketAddress: "127.0.0.1", forwardedFor: "" }), trust).address).toBe("127.0.0.1");
  });

  it("hops:N trusts exactly the N nearest hops", () => {
    const xff = "6.6.6.6, 198.51.100.7, 10.0.0.2";
    expect(
      resolveSource(raw({ socketAddress: "10.0.0.1", forwardedFor: xff }), parseTrustedProxies("hops:1")).address,
    ).toBe("10.0.0.2");
    expect(
      resolveSource(raw({ socketAddress: "10.0.0.1", forwardedFor: xff }), parseTrustedProxies("hops:2")).address,
    ).toBe("198.51.100.7");
    expect(
      resolveSource(raw({ socketAddress: "10.0.0.1", forwardedFor: "198.51.100.7" }), parseTrustedProxies("hops:3"))
        .address,
    ).toBe("198.51.100.7");
    expect(
      resolveSource(raw({ socketAddress: "10.0.0.1", forwardedFor: xff }), parseTrustedProxies("hops:0")).address,
    ).toBe("10.0.0.1");
  });

  it("matches IPv6 CIDRs, and IPv4 peers arriving on an IPv6 socket", () => {
    const trust = parseTrustedProxies("fd00::/8,::1");
    expect(resolveSource(raw({ socketAddress: "fd12::3", forwardedFor: "2001:db8::7" }), trust).address).toBe(
      "2001:db8::7",
    );
    expect(resolveSource(raw({ socketAddress: "::1", forwardedFor: "[2001:db8::8]:5000" }), trust).address).toBe(
      "2001:db8::8",
    );
    expect(resolveSource(raw({ socketAddress: "fe80::1", forwardedFor: "2001:db8::7" }), trust).address).toBe(
      "fe80::1",
    );
    expect(
      resolveSource(
        raw({ socketAddress: "::ffff:127.0.0.1", forwardedFor: "198.51.100.7" }),
        parseTrustedProxies("127.0.0.0/8"),
      ).address,
    ).toBe("198.51.100.7");
  });

  it("takes only a sane forwarded scheme and host from a trusted proxy", () => {
    const trust = parseTrustedProxies("127.0.0.1");
    const s = resolveSource(
      raw({ socketAddress: "127.0.0.1", forwardedProto: "gopher", forwardedHost: "a b/c" }),
      trust,
    );
    expect([s.proto, s.host]).toEqual(["http", "ledger.example"]);
    expect(resolveSource(raw({ encrypted: true }), parseTrustedProxies(undefined)).proto).toBe("https");
  });

  it("refuses a malformed trust list instead of trusting everyone", () => {
    for (const bad of ["10.0.0.0/33", "everyone", "10.0.0.1/8/1", "::1/129", "hops:x", "*"])
      expect(() => parseTrustedProxies(bad), bad).toThrow(/APILEDGER_TRUSTED_PROXIES/);
  });
});

describe("requestSource", () => {
  it("reads the internal headers, and says local (never an X-Forwarded-For) without them", () => {
    expect(
      requestSource(new Headers({ "x-forwarded-for": "6.6.6.6", "x-forwarded-proto": "https", host: "h" })),
    ).toEqual({ address: "local", proto: "http", host: "h" });
    process.env.APILEDGER_SOURCE_KEY = "k".repeat(64);
    const stamped = {
      "x-apiledger-peer": "198.51.100.7",
      "x-apiledger-proto": "https",
      "x-apiledger-host": "ledger.example",
      host: "h",
    };
    expect(requestSource(new Headers({ ...stamped, "x-apiledger-source-key": "k".repeat(64) }))).toEqual({
      address: "198.51.100.7",
      proto: "https",
      host: "ledger.example",
    });
  });

  it("believes the internal headers only with the HTTP server's key: not under a plain next start, not with a guessed key", () => {
    const stamped = {
      "x-apiledger-peer": "198.51.100.7",
      "x-apiledger-proto": "https",
      "x-apiledger-host": "ledger.example",
      host: "h",
    };
    delete process.env.APILEDGER_SOURCE_KEY;
    expect(requestSource(new Headers({ ...stamped, "x-apiledger-source-key": "" }))).toEqual({
      address: "local",
      proto: "http",
      host: "h",
    });
    expect(requestSource(new Headers(stamped))).toEqual({ address: "local", proto: "http", host: "h" });
    process.env.APILEDGER_SOURCE_KEY = "k".repeat(64);
    expect(requestSource(new Headers({ ...stamped, "x-apiledger-source-key": "guess" }))).toEqual({
      address: "local",
      proto: "http",
      host: "h",
    });
    delete process.env.APILEDGER_SOURCE_KEY;
  });
});
