import { parse as parseYaml } from "yaml";
import { AppError } from "@/lib/errors";
import { cleanInput, textProblem } from "@/lib/input/text";
import { firstExternalRef } from "@/lib/openapi-scan/refs";

export const MAX_DESCRIPTION_BYTES = 10 * 1024 * 1024;

export type Description = {
  doc: Record<string, unknown>;
  format: "json" | "yaml";
  dialect: "swagger-2.0" | "openapi-3.0" | "openapi-3.1";
  title: string;
};

const fail = (message: string): never => {
  throw new AppError("VALIDATION", message, { description: [message] });
};

/**
 * Reads an OpenAPI (3.0, 3.1) or Swagger (2.0) description from JSON or YAML text. YAML aliases are
 * capped (no "billion laughs"), and nothing is fetched or read: external references are refused later.
 */
export function parseDescription(text: string): Description {
  if (Buffer.byteLength(text) > MAX_DESCRIPTION_BYTES)
    fail(`The description is larger than ${MAX_DESCRIPTION_BYTES / 1048576} MB.`);
  const trimmed = text.replace(/^\uFEFF/, "").trimStart();
  if (!trimmed) fail("The description is empty.");
  let doc: unknown;
  let format: "json" | "yaml";
  if (trimmed.startsWith("{")) {
    format = "json";
    try {
      doc = JSON.parse(trimmed);
    } catch (error) {
      fail(`The description is not valid JSON: ${(error as Error).message}`);
    }
  } else {
    format = "yaml";
    try {
      doc = parseYaml(trimmed, { maxAliasCount: 1000, uniqueKeys: false, prettyErrors: true });
    } catch (error) {
      fail(`The description is not valid YAML: ${(error as Error).message.split("\n")[0]}`);
    }
  }
  if (!doc || typeof doc !== "object" || Array.isArray(doc))
    fail("The description is not an OpenAPI document (expected an object at the top level).");
  // A description is kept as written, so only what cannot be stored is refused in its values and keys
  // (JSON and YAML escapes carry lone surrogates and NUL past UTF-8 decoding); its title, which the
  // app shows and stores, takes the full rule. Schemas nest deeper than forms, hence the larger bound.
  try {
    doc = cleanInput(doc, { maxDepth: 128, document: true });
  } catch (error) {
    const [where, messages] = Object.entries((error as AppError).fieldErrors ?? {})[0] ?? [
      "",
      [(error as Error).message],
    ];
    fail(
      `The description cannot be accepted: at ${where || "the top"}, ${messages[0]?.replace(/^./, (c) => c.toLowerCase())}`,
    );
  }
  const external = firstExternalRef(doc);
  if (external)
    fail(
      `External $ref “${external.ref.slice(0, 200)}” at ${external.at} is not accepted (it would point tools that read the description at a file or the network). Bundle the description into one document first.`,
    );
  const d = doc as Record<string, unknown>;
  const dialect =
    d.swagger === "2.0"
      ? "swagger-2.0"
      : typeof d.openapi === "string" && /^3\.0\.\d+/.test(d.openapi)
        ? "openapi-3.0"
        : typeof d.openapi === "string" && /^3\.1\.\d+/.test(d.openapi)
          ? "openapi-3.1"
          : null;
  if (!dialect)
    fail(
      `Not an OpenAPI 2.0, 3.0 or 3.1 description (found ${d.openapi !== undefined ? `openapi: ${String(d.openapi)}` : d.swagger !== undefined ? `swagger: ${String(d.swagger)}` : "no openapi or swagger field"}).`,
    );
  if (!d.paths || typeof d.paths !== "object") {
    if (dialect !== "openapi-3.1") fail("The description has no paths.");
  }
  const info = (d.info ?? {}) as Record<string, unknown>;
  const title = typeof info.title === "string" ? info.title : "";
  const titleProblem = textProblem(title);
  if (titleProblem) fail(`The description's title (info.title) ${titleProblem}.`);
  return { doc: d, format, dialect: dialect!, title: title.normalize("NFC") };
}
