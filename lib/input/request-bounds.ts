// Bounds on a server-action request, checked by the proxy before React decodes its arguments. React's
// reply decoder refuses more than 1,000,000 array slots (string lengths count) by throwing, which Next
// answers with a 500; arguments whose encoding is smaller than that never get there. They are sent as
// a JSON body, or as the numbered fields of a multipart body beside files and form fields (which React
// hands over as they are, so only the numbered fields count). The largest legitimate arguments, a
// review's decisions, stay well under the bound; files have their own limit (next.config.ts).
import { Readable } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import busboy from "next/dist/compiled/busboy";

export const MAX_ACTION_ARGUMENT_BYTES = 960 * 1024;

type Problem = { status: number; detail: string };
const tooLarge: Problem = {
  status: 413,
  detail: `The request's arguments are larger than ${Math.round(MAX_ACTION_ARGUMENT_BYTES / 1024)} KB; nothing was saved.`,
};

export async function serverActionProblem(request: Request): Promise<Problem | null> {
  if (request.method !== "POST" || !request.headers.has("next-action")) return null;
  const type = (request.headers.get("content-type") ?? "").toLowerCase();
  if (!type.startsWith("multipart/form-data")) {
    const length = Number(request.headers.get("content-length") ?? NaN);
    if (!Number.isFinite(length)) return { status: 411, detail: "Send the request with its length (Content-Length)." };
    return length > MAX_ACTION_ARGUMENT_BYTES ? tooLarge : null;
  }
  const body = request.clone().body;
  if (!body) return null;
  return new Promise<Problem | null>((resolve) => {
    let total = 0;
    let settled = false;
    const finish = (result: Problem | null) => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    const parser = busboy({
      headers: Object.fromEntries(request.headers),
      limits: { fieldSize: MAX_ACTION_ARGUMENT_BYTES + 1 },
    });
    parser.on("file", (_name: string, file: Readable) => file.resume());
    parser.on("field", (name: string, value: string, info: { valueTruncated: boolean }) => {
      if (!/^\d+$/.test(name)) return;
      total += Buffer.byteLength(value);
      if (info.valueTruncated || total > MAX_ACTION_ARGUMENT_BYTES) finish(tooLarge);
    });
    parser.on("close", () => finish(null));
    // A malformed body is Next's to refuse (it answers 400); this check only bounds a well-formed one.
    parser.on("error", () => finish(null));
    Readable.fromWeb(body as unknown as WebReadableStream).pipe(parser);
  });
}
