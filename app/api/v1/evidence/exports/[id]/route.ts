import { apiRead } from "@/lib/rest/api-route";
import { getEvidenceExport } from "@/lib/evidence/queries";

export const GET = apiRead<{ id: string }>(async ({ principal, params }) =>
  Response.json(await getEvidenceExport(principal.actor, params.id.slice(0, 64)), {
    headers: { "Cache-Control": "no-store" },
  }),
);
