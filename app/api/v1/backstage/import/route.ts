import { apiWrite } from "@/lib/rest/api-route";
import { AppError } from "@/lib/errors";
import {
  importBackstageCatalog,
  MAX_CATALOG_BYTES,
  previewBackstageCatalog,
  type BackstageCatalogPreview,
} from "@/lib/backstage/import-backstage-catalog";

const TYPES = ["application/yaml", "application/x-yaml", "text/yaml"];

const isDryRun = (url: URL) => url.searchParams.get("dryRun") === "true";

/** Imports Backstage kind: API entities; ?dryRun=true returns what would change and writes nothing. */
export const POST = apiWrite<Record<string, never>, BackstageCatalogPreview>(
  async ({ write, request, bytes, url }) => {
    const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
    if (!TYPES.includes(type)) throw new AppError("UNSUPPORTED_MEDIA_TYPE", "Send the catalog as application/yaml.");
    const body = await bytes();
    return isDryRun(url) ? previewBackstageCatalog(write, body) : importBackstageCatalog(write, body);
  },
  (result, { url }) => Response.json({ ...result, dryRun: isDryRun(url) }),
  { permission: "api:update", maxBodyBytes: MAX_CATALOG_BYTES },
);
