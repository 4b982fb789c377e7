import { apiRead, apiWrite } from "@/lib/rest/api-route";
import { listIncidents } from "@/lib/incidents/queries";
import { reportIncident } from "@/lib/incidents/report-incident";

export const GET = apiRead(async ({ principal }) => Response.json({ data: await listIncidents(principal.actor) }));

export const POST = apiWrite(
  async ({ write, json }) => reportIncident(write, await json()),
  (result: { id: string }) =>
    Response.json({ id: result.id }, { status: 201, headers: { Location: `/api/v1/incidents/${result.id}` } }),
  { permission: "incident:report" },
);
