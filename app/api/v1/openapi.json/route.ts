import { openApiDocument } from "@/lib/rest/openapi/document";
import { requestSource } from "@/lib/server/request-source";
import { withDataHeaders } from "@/lib/http/security-headers";

/** The OpenAPI 3.1 description of /api/v1 (public: it describes the interface, not any data). */
export function GET(request: Request) {
  return withDataHeaders(
    Response.json(openApiDocument(), { headers: { "Cache-Control": "public, max-age=300" } }),
    requestSource(request.headers).proto === "https",
  );
}
