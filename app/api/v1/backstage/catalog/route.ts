import { apiRead } from "@/lib/rest/api-route";
import { exportCatalog } from "@/lib/backstage/export-catalog";

/** The inventory as Backstage catalog entities (kind: API), one YAML document each. */
export const GET = apiRead(async ({ principal }) => {
  const yaml = await exportCatalog(principal.actor, principal.actor.token?.teamId ?? null);
  return new Response(yaml, {
    headers: {
      "Content-Type": "application/yaml; charset=utf-8",
      "Content-Disposition": 'attachment; filename="apiledger-catalog.yaml"',
      "X-Content-Type-Options": "nosniff",
    },
  });
});
