// The request's source as the HTTP server (lib/server/http-server.ts) decided it and passed on in
// internal headers; see lib/server/source-address.ts for how. Kept free of Node-only imports so that
// proxy.ts, route handlers and server actions can all read it.
export const PEER_HEADER = "x-apiledger-peer";
export const PROTO_HEADER = "x-apiledger-proto";
export const HOST_HEADER = "x-apiledger-host";
/**
 * Carries the random key the HTTP server made at start (also in its environment, APILEDGER_SOURCE_KEY).
 * The server removes every internal header a client sends, so the key only proves the headers came from it;
 * under a server that does not stamp them (a plain `next start`) no key is set and nothing is believed.
 */
export const KEY_HEADER = "x-apiledger-source-key";
export const INTERNAL_HEADERS = [PEER_HEADER, PROTO_HEADER, HOST_HEADER, KEY_HEADER] as const;
type HeaderReader = { get(name: string): string | null };

/**
 * The request's source as the HTTP server decided it. Without the internal headers (unit tests calling
 * handlers directly, or a server started some other way) the address is "local" and the host is the
 * Host header — nothing a client sends in X-Forwarded-* (or in the internal headers) is believed here.
 */
export function requestSource(headers: HeaderReader): {
  address: string;
  proto: "http" | "https";
  host: string | null;
} {
  const key = process.env.APILEDGER_SOURCE_KEY;
  if (!key || headers.get(KEY_HEADER) !== key) return { address: "local", proto: "http", host: headers.get("host") };
  const proto = headers.get(PROTO_HEADER);
  return {
    address: headers.get(PEER_HEADER) || "local",
    proto: proto === "https" ? "https" : "http",
    host: headers.get(HOST_HEADER) || headers.get("host"),
  };
}
