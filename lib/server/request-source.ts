// The request's source as the HTTP server (lib/server/http-server.ts) decided it and passed on in
// internal headers; see lib/server/source-address.ts for how. Kept free of Node-only imports so that
// proxy.ts, route handlers and server actions can all read it.
export const PEER_HEADER = "x-apiledger-peer";
export const PROTO_HEADER = "x-apiledger-proto";
export const HOST_HEADER = "x-apiledger-host";
export const INTERNAL_HEADERS = [PEER_HEADER, PROTO_HEADER, HOST_HEADER] as const;
type HeaderReader = { get(name: string): string | null };

/**
 * The request's source as the HTTP server decided it. Without the internal headers (unit tests calling
 * handlers directly, or a server started some other way) the address is "local" and the host is the
 * Host header — nothing a client sends in X-Forwarded-* is believed here.
 */
export function requestSource(headers: HeaderReader): { address: string; proto: "http" | "https"; host: string | null } {
  const proto = headers.get(PROTO_HEADER);
  return { address: headers.get(PEER_HEADER) || "local", proto: proto === "https" ? "https" : "http", host: headers.get(HOST_HEADER) || headers.get("host") };
}
