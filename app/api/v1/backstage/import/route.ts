import { apiWrite } from "@/lib/rest/api-route";
import { AppError } from "@/lib/errors";
import {
  importBackstageCatalog,
  MAX_CATALOG_BYTES,
  previewBackstageCatalog,
  type BackstageCatalogPreview,
} from "@/lib/backstage/import-backstage-catalog";

const TYPES = ["application/yaml", "application/x-yaml", "text/yaml"];
/** A bundle: catalog-info.yaml files with the definitions they reference (Windows names ZIPs the second way). */
const ZIP_TYPES = ["application/zip", "application/x-zip-compressed"];

const isDryRun = (url: URL) => url.searchParams.get("dryRun") === "true";

/**
 * Imports Backstage kind: API entities from a YAML catalog or a ZIP bundle; ?dryRun=true returns what
 * would change and writes nothing; ?defaultTeam and ?defaultSensitivity place entities that do not say their team or sensitivity.
 */
export const POST = apiWrite<Record<string, never>, BackstageCatalogPreview>(
  async ({ write, request, bytes, url }) => {
    const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
    if (!TYPES.includes(type) && !ZIP_TYPES.includes(type))
      throw new AppError(
        "UNSUPPORTED_MEDIA_TYPE",
        "Send the catalog as application/yaml, or a bundle of it and its definitions as application/zip.",
      );
    const body = ZIP_TYPES.includes(type) ? { bundle: await bytes() } : await bytes();
    // For entities that do not name an ApiLedger team or carry a sensitivity (unset = refuse those).
    const defaults = {
      teamId: url.searchParams.get("defaultTeam") ?? "",
      sensitivity: url.searchParams.get("defaultSensitivity") ?? "",
    };
    return isDryRun(url)
      ? previewBackstageCatalog(write, body, defaults)
      : importBackstageCatalog(write, body, defaults);
  },
  (result, { url }) => Response.json({ ...result, dryRun: isDryRun(url) }),
  { permission: "api:update", maxBodyBytes: MAX_CATALOG_BYTES },
);
