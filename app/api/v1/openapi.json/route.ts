import { openApiDocument } from "@/lib/api/openapi";

/** The OpenAPI 3.1 description of /api/v1 (public: it describes the interface, not any data). */
export function GET() {
  return Response.json(openApiDocument(), { headers: { "Cache-Control": "public, max-age=300" } });
}
