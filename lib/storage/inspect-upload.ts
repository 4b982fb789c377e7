import { createHash } from "node:crypto";
import { fileTypeFromBuffer } from "file-type";
import { AppError } from "@/lib/errors";

// What may be uploaded as a document version or training material, by extension, with the media type
// we serve it as. Office and PDF files carry signatures that are checked; Markdown and plain text have
// none, so they must be valid UTF-8 text and must not be markup a browser would run.
const SIGNED_TYPES = {
  pdf: "application/pdf",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  pptx: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
  odt: "application/vnd.oasis.opendocument.text",
  ods: "application/vnd.oasis.opendocument.spreadsheet",
  odp: "application/vnd.oasis.opendocument.presentation",
} as const;
const TEXT_TYPES = {
  md: "text/markdown; charset=utf-8",
  markdown: "text/markdown; charset=utf-8",
  txt: "text/plain; charset=utf-8",
} as const;
export const UPLOAD_EXTENSIONS = [...Object.keys(SIGNED_TYPES), ...Object.keys(TEXT_TYPES)];

const DEFAULT_MAX_MB = 20;
// The server-action body limit in next.config.ts is a little above this, so the configured limit is
// what people meet, with our message, rather than a framework error.
export const HARD_MAX_MB = 100;

/** APILEDGER_MAX_UPLOAD_MB (1–100, default 20) in bytes. */
export function maxUploadBytes(env: Record<string, string | undefined> = process.env): number {
  const raw = Number(env.APILEDGER_MAX_UPLOAD_MB ?? DEFAULT_MAX_MB);
  const mb = Number.isFinite(raw) && raw >= 1 ? Math.min(raw, HARD_MAX_MB) : DEFAULT_MAX_MB;
  return Math.floor(mb * 1024 * 1024);
}

export type InspectedUpload = { fileName: string; mediaType: string; sha256: string; size: number; bytes: Uint8Array };

const refuse = (message: string): never => {
  throw new AppError("VALIDATION", message, { file: [message] });
};

const mb = (bytes: number) => `${(bytes / 1048576).toFixed(bytes < 1048576 ? 2 : 1)} MB`;

/** The reason a file name is refused, or null. The name is only ever shown and sent back in a header. */
export function fileNameProblem(name: string): string | null {
  if (name.length === 0) return "The file has no name.";
  if (name.length > 200) return "The file name is longer than 200 characters; rename the file.";
  if (/[\p{Cc}/\\:*?"<>|]/u.test(name))
    return `The file name “${name.replace(/\p{Cc}/gu, "?")}” contains characters that cannot be in a file name (/ \\ : * ? " < > | or control characters); rename the file.`;
  if (/^[.\s]|[.\s]$/.test(name))
    return `The file name “${name}” starts or ends with a dot or a space; rename the file.`;
  return null;
}

const looksLikeMarkup = (text: string) =>
  /^\s*(<!doctype\s+html|<html|<head|<body|<script|<svg|<\?xml|<iframe)/i.test(text.slice(0, 2048));

/**
 * Checks an upload by its bytes, not its name: the size limit, a safe name with an allowed extension,
 * and content that really is what the extension says. Throws a VALIDATION AppError on `file` with a
 * message the person can act on; nothing is stored before this passes.
 */
export async function inspectUpload(
  name: string,
  bytes: Uint8Array,
  maxBytes = maxUploadBytes(),
): Promise<InspectedUpload> {
  const fileName = name.normalize("NFC");
  const nameProblem = fileNameProblem(fileName);
  if (nameProblem) refuse(nameProblem);
  if (bytes.byteLength === 0) refuse("The file is empty.");
  if (bytes.byteLength > maxBytes) refuse(`The file is ${mb(bytes.byteLength)}; the limit is ${mb(maxBytes)}.`);
  const ext = fileName.includes(".") ? fileName.slice(fileName.lastIndexOf(".") + 1).toLowerCase() : "";
  if (!UPLOAD_EXTENSIONS.includes(ext))
    refuse(
      `Files of type “.${ext || "(none)"}” cannot be uploaded. Allowed: ${UPLOAD_EXTENSIONS.map((e) => `.${e}`).join(", ")}.`,
    );

  const detected = await fileTypeFromBuffer(bytes);
  let mediaType: string;
  if (ext in SIGNED_TYPES) {
    if (detected?.ext !== ext) {
      const what = detected
        ? `a .${detected.ext} file`
        : looksLikeMarkup(new TextDecoder().decode(bytes.subarray(0, 2048)))
          ? "an HTML or XML page"
          : "something else";
      refuse(
        `The file is named .${ext} but its content is not a ${ext.toUpperCase()} file (it looks like ${what}). Upload the real document.`,
      );
    }
    mediaType = SIGNED_TYPES[ext as keyof typeof SIGNED_TYPES];
  } else {
    let text = "";
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      refuse(`The file is named .${ext} but is not UTF-8 text.`);
    }
    if (text.includes("\u0000")) refuse(`The file is named .${ext} but contains binary data.`);
    // Text that also carries a known signature (a PDF is mostly ASCII) is that kind of file.
    if (detected)
      refuse(
        `The file is named .${ext} but its content is a .${detected.ext} file. Upload a text file or use the right extension.`,
      );
    if (looksLikeMarkup(text))
      refuse(`The file is named .${ext} but its content is an HTML or XML page, which cannot be uploaded.`);
    mediaType = TEXT_TYPES[ext as keyof typeof TEXT_TYPES];
  }
  return {
    fileName,
    mediaType,
    sha256: createHash("sha256").update(bytes).digest("hex"),
    size: bytes.byteLength,
    bytes,
  };
}
