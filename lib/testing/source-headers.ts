// For tests that call route code directly: the internal headers the HTTP server (lib/server/http-server.ts)
// would stamp on a request from `address`, with this process's source key (made here if none is set).
import { randomBytes } from "node:crypto";
import { KEY_HEADER, PEER_HEADER } from "@/lib/server/request-source";

export function fromAddress(address: string): Record<string, string> {
  const key = (process.env.APILEDGER_SOURCE_KEY ||= randomBytes(32).toString("hex"));
  return { [PEER_HEADER]: address, [KEY_HEADER]: key };
}
