import { apiRead, apiWrite } from "@/lib/rest/api-route";
import { listEvidenceExports } from "@/lib/evidence/queries";
import { requestEvidenceExport } from "@/lib/evidence/export-jobs";

export const GET = apiRead(async ({ principal }) =>
  Response.json({ data: await listEvidenceExports(principal.actor) }),
);

/** Starts building a bundle in the background: 202 with the export to poll. */
export const POST = apiWrite(
  async ({ write, json }) => requestEvidenceExport(write, await json()),
  (result: { id: string }) =>
    Response.json({ id: result.id }, { status: 202, headers: { Location: `/api/v1/evidence/exports/${result.id}` } }),
  { permission: "evidence:export" },
);
