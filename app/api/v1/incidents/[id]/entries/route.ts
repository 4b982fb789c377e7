import { apiWrite } from "@/lib/rest/api-route";
import { addIncidentEntry } from "@/lib/incidents/add-entry";

/** Adds a timeline entry (what was done, or a notification made); an addendum once closed. */
export const POST = apiWrite<{ id: string }, null>(
  async ({ write, params, json }) => {
    await addIncidentEntry(write, params.id.slice(0, 64), await json());
    return null;
  },
  () => new Response(null, { status: 201 }),
  { permission: "incident:handle" },
);
