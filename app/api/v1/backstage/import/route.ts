import { apiWrite } from "@/lib/rest/api-route";
import { AppError } from "@/lib/errors";
import {
  importCatalog,
  MAX_CATALOG_BYTES,
  previewCatalogImport,
  type CatalogPreview,
} from "@/lib/backstage/import-catalog";

const TYPES = ["application/yaml", "application/x-yaml", "text/yaml"];

/** Imports Backstage kind: API entities; ?dryRun=true returns what would change and writes nothing. */
export const POST = apiWrite<Record<string, never>, CatalogPreview & { dryRun: boolean }>(
  async ({ write, request, text, url }) => {
    const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
    if (!TYPES.includes(type)) throw new AppError("UNSUPPORTED_MEDIA_TYPE", "Send the catalog as application/yaml.");
    const dryRun = url.searchParams.get("dryRun") === "true";
    const body = await text();
    return { ...(dryRun ? await previewCatalogImport(write, body) : await importCatalog(write, body)), dryRun };
  },
  (result) => Response.json(result),
  { permission: "api:update", maxBodyBytes: MAX_CATALOG_BYTES },
);
