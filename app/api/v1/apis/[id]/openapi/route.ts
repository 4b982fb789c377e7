import { apiRead, apiWrite } from "@/lib/rest/api-route";
import { AppError } from "@/lib/errors";
import { attachDescription, removeDescription, requireEditableApi } from "@/lib/openapi-scan/attach-description";
import { MAX_DESCRIPTION_BYTES } from "@/lib/openapi-scan/parse";
import { getDescriptionReport } from "@/lib/openapi-scan/queries";

type Params = { id: string };
const TYPES = [
  "application/json",
  "application/yaml",
  "application/x-yaml",
  "text/yaml",
  "application/vnd.oai.openapi",
  "application/vnd.oai.openapi+json",
];

/** The attached description's scan (findings recomputed against the API's current record). */
export const GET = apiRead<Params>(async ({ principal, params }) => {
  const report = await getDescriptionReport(principal.actor, params.id.slice(0, 64));
  if (!report) throw new AppError("NOT_FOUND", "This API has no OpenAPI description attached.");
  return Response.json(report);
});

/** Attach or replace the description: the raw JSON or YAML document as the body. */
export const PUT = apiWrite<Params, Awaited<ReturnType<typeof attachDescription>>>(
  async ({ write, params, request, text }) => {
    // Permission (with the API as target) before the body is read, let alone parsed.
    await requireEditableApi(write.actor, params.id.slice(0, 64));
    const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
    if (!TYPES.includes(type))
      throw new AppError("UNSUPPORTED_MEDIA_TYPE", `Send the description as ${TYPES.join(" or ")}.`);
    return attachDescription(write, params.id.slice(0, 64), await text(), { kind: "api" });
  },
  (result) => Response.json(result),
  { permission: "api:update", maxBodyBytes: MAX_DESCRIPTION_BYTES },
);

export const DELETE = apiWrite<Params, null>(
  async ({ write, params }) => {
    await removeDescription(write, params.id.slice(0, 64));
    return null;
  },
  () => new Response(null, { status: 204 }),
  { permission: "api:update" },
);
