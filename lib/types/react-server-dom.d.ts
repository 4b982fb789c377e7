// React's RSC client as Next vendors it (no types shipped): the test client (lib/testing/app-client.ts)
// encodes server-action arguments with it, byte for byte as a browser does.
declare module "next/dist/compiled/react-server-dom-turbopack/client.edge" {
  export function encodeReply(value: unknown): Promise<string | FormData>;
}

// Next's own copy of busboy (the multipart parser it decodes server actions with); the proxy uses it to
// bound an action's arguments before React reads them (lib/input/request-bounds.ts).
declare module "next/dist/compiled/busboy" {
  import type { Writable } from "node:stream";
  export default function busboy(options: {
    headers: Record<string, string>;
    limits?: { fieldSize?: number };
  }): Writable;
}
