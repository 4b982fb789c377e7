// Where a request came from, decided once per request by the HTTP server (lib/server/http-server.ts)
// from the socket address and the operator's list of trusted reverse proxies, and handed to the app in
// internal headers that the server first strips from the incoming request. Everything that records an
// address, decides HSTS or compares Origin with the host reads those headers through `requestSource`
// (lib/server/request-source.ts). No "server-only" here: the HTTP server runs outside Next's bundles.
import net from "node:net";

/** What a reverse proxy may say about the client; believed only from a trusted proxy, else removed. */
export const FORWARDING_HEADERS = [
  "x-forwarded-for",
  "x-forwarded-host",
  "x-forwarded-proto",
  "x-forwarded-port",
  "x-real-ip",
  "forwarded",
] as const;

/** `trusted(address, index)`: index 0 is the socket peer, 1 the hop before it, and so on. */
export type ProxyTrust = { describe: string; trusted: (address: string, index: number) => boolean };

/** "::ffff:10.0.0.1" → "10.0.0.1"; brackets and zone ids dropped; null when not an IP address. */
export function normaliseAddress(raw: string | undefined | null): string | null {
  let a = (raw ?? "").trim();
  if (a.startsWith("[") && a.includes("]")) a = a.slice(1, a.indexOf("]"));
  else if (/^\d+\.\d+\.\d+\.\d+:\d+$/.test(a)) a = a.slice(0, a.lastIndexOf(":"));
  a = a.replace(/%.*$/, "");
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(a);
  if (mapped) a = mapped[1]!;
  const family = net.isIP(a);
  if (family === 0) return null;
  return family === 6 ? a.toLowerCase() : a;
}

/**
 * APILEDGER_TRUSTED_PROXIES: empty (trust none: the socket address is the client), "hops:N" (the N
 * nearest hops are proxies), or comma-separated addresses and CIDR blocks (IPv4 or IPv6). Node's own
 * net.BlockList does the CIDR matching; a malformed entry is a start-up error, never a silent "trust all".
 */
export function parseTrustedProxies(value: string | undefined): ProxyTrust {
  const spec = (value ?? "").trim();
  if (!spec || spec === "none") return { describe: "none", trusted: () => false };
  const hops = /^hops:(\d{1,2})$/i.exec(spec);
  if (hops) {
    const n = Number(hops[1]);
    return { describe: `the ${n} nearest hop(s)`, trusted: (_address, index) => index < n };
  }
  const list = new net.BlockList();
  for (const entry of spec
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [base, bits, extra] = entry.split("/");
    const address = normaliseAddress(base);
    const family = address ? (net.isIP(address) === 4 ? "ipv4" : "ipv6") : null;
    const max = family === "ipv4" ? 32 : 128;
    const prefix = bits === undefined ? max : /^\d{1,3}$/.test(bits) ? Number(bits) : NaN;
    if (!address || !family || extra !== undefined || !(prefix >= 0 && prefix <= max)) {
      throw new Error(
        `APILEDGER_TRUSTED_PROXIES: "${entry}" is not an address or CIDR block (e.g. 10.0.0.0/8, ::1, hops:1)`,
      );
    }
    list.addSubnet(address, prefix, family);
  }
  return {
    describe: spec,
    trusted: (address) => {
      const a = normaliseAddress(address);
      return !!a && list.check(a, net.isIP(a) === 4 ? "ipv4" : "ipv6");
    },
  };
}

export type RawSource = {
  socketAddress: string | undefined;
  encrypted: boolean;
  forwardedFor: string | undefined;
  forwardedProto: string | undefined;
  forwardedHost: string | undefined;
  host: string | undefined;
};
export type Source = { address: string; proto: "http" | "https"; host: string; viaTrustedProxy: boolean };

/**
 * The standard walk (as Express's proxy-addr does it): start at the socket peer and move left through
 * X-Forwarded-For while the current hop is a trusted proxy; the first hop that is not trusted is the
 * client. A malformed entry ends the walk at the proxy that passed it on. Scheme and host are taken
 * from X-Forwarded-Proto/-Host only when the socket peer itself is trusted.
 */
export function resolveSource(raw: RawSource, trust: ProxyTrust): Source {
  const peer = normaliseAddress(raw.socketAddress) ?? "unknown";
  const ownProto = raw.encrypted ? "https" : "http";
  const ownHost = (raw.host ?? "").trim();
  if (!trust.trusted(peer, 0)) return { address: peer, proto: ownProto, host: ownHost, viaTrustedProxy: false };
  const hops = (raw.forwardedFor ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .reverse();
  let address = peer;
  for (let i = 0; i < hops.length; i++) {
    if (!trust.trusted(address, i)) break;
    const next = normaliseAddress(hops[i]);
    if (!next) break;
    address = next;
  }
  const lastOf = (v: string | undefined) =>
    (v ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean)
      .pop();
  const proto = lastOf(raw.forwardedProto)?.toLowerCase();
  const host = lastOf(raw.forwardedHost);
  return {
    address,
    proto: proto === "https" || proto === "http" ? proto : ownProto,
    host: host && /^[\w.\-:[\]]{1,255}$/.test(host) ? host : ownHost,
    viaTrustedProxy: true,
  };
}
