import "server-only";
import { AppError } from "@/lib/errors";

export const MAX_UPLOAD_TEXT_BYTES = 5 * 1024 * 1024;

/** The file of an import form (CSV, YAML…) as text: present, within the size limit, and UTF-8. */
export async function readUploadedText(
  form: FormData,
  maxBytes = MAX_UPLOAD_TEXT_BYTES,
  format = "CSV",
): Promise<string> {
  const file = form.get("file");
  const refuse = (message: string) => new AppError("VALIDATION", message, { file: [message] });
  if (!(file instanceof File) || file.size === 0) throw refuse(`Choose a ${format} file.`);
  if (file.size > maxBytes) throw refuse(`The file is larger than ${maxBytes / 1048576} MB.`);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(await file.arrayBuffer());
  } catch {
    throw refuse(`The file is not UTF-8 text. Save it as ${format} (UTF-8).`);
  }
}
