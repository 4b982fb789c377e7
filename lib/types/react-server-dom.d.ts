// React's RSC client as Next vendors it (no types shipped): the test client (lib/testing/app-client.ts)
// encodes server-action arguments and decodes their results with it, byte for byte as a browser does.
declare module "next/dist/compiled/react-server-dom-turbopack/client.edge" {
  export function encodeReply(value: unknown): Promise<string | FormData>;
  export function createFromFetch(response: Promise<Response>, options: { serverConsumerManifest: { moduleMap: object; moduleLoading: null; serverModuleMap: null } }): Promise<unknown>;
}
