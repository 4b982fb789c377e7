import "server-only";
import { AppError } from "@/lib/errors";

export const MAX_UPLOAD_TEXT_BYTES = 5 * 1024 * 1024;

const refuse = (message: string) => new AppError("VALIDATION", message, { file: [message] });

/** The file of an import form as its name and bytes: present and within the size limit. */
export async function readUploadedFile(
  form: FormData,
  maxBytes: number,
  format: string,
): Promise<{ name: string; bytes: Uint8Array }> {
  const file = form.get("file");
  if (!(file instanceof File) || file.size === 0) throw refuse(`Choose a ${format} file.`);
  if (file.size > maxBytes) throw refuse(`The file is larger than ${maxBytes / 1048576} MB.`);
  return { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) };
}

/** An uploaded file's bytes as text, refused (never replaced) when they are not UTF-8. */
export function uploadedText(bytes: Uint8Array, format: string): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw refuse(`The file is not UTF-8 text. Save it as ${format} (UTF-8).`);
  }
}

/** The file of an import form (CSV, YAML…) as text: present, within the size limit, and UTF-8. */
export async function readUploadedText(
  form: FormData,
  maxBytes = MAX_UPLOAD_TEXT_BYTES,
  format = "CSV",
): Promise<string> {
  return uploadedText((await readUploadedFile(form, maxBytes, format)).bytes, format);
}
