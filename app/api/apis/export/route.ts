import { getActor } from "@/lib/auth/current-actor";
import { iterateApis } from "@/lib/apis/queries";
import { parseListParams } from "@/lib/apis/list-params";
import { requirePermission } from "@/lib/authz/policy";
import { problemFor } from "@/lib/http/responses";
import { csvLine } from "@/lib/csv/csv-writer";
import { LABELS, TRI_LABELS, triOf } from "@/lib/apis/enums";
import { CONTROLS, CONTROL_IDS } from "@/lib/ism/controls";

const tri = (v: boolean | null) => TRI_LABELS[triOf(v)];

/** The inventory's current view (same filters and sort as the page, all pages) as CSV. */
export async function GET(request: Request) {
  const actor = await getActor();
  try {
    requirePermission(actor, "api:export");
  } catch (error) {
    return problemFor(error);
  }
  const params = parseListParams(Object.fromEntries(new URL(request.url).searchParams));
  const header = [
    "id",
    "name",
    "purpose",
    "team",
    "owner",
    "lifecycle",
    "exposure",
    "partner link private",
    "sensitivity",
    "data categories",
    "modifies data",
    "non-public data",
    "authentication",
    "authorisation",
    "centrally logged",
    "tags",
    ...CONTROL_IDS.map((id) => CONTROLS[id].label),
    "updated",
  ];
  const encoder = new TextEncoder();
  const rows = iterateApis(actor, params);
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode("\uFEFF" + csvLine(header)));
    },
    async pull(controller) {
      const { value: r, done } = await rows.next();
      if (done) return controller.close();
      controller.enqueue(
        encoder.encode(
          csvLine([
            r.id,
            r.name,
            r.purpose,
            r.team.name,
            r.owner?.name ?? "",
            LABELS.lifecycle[r.lifecycle],
            LABELS.exposure[r.exposure],
            r.exposure === "PARTNER" ? String(r.partnerLinkPrivate) : "",
            LABELS.sensitivity[r.sensitivity],
            r.dataCategories.map((c) => LABELS.dataCategory[c]),
            tri(r.modifiesData),
            tri(r.readsNonPublic),
            r.authMethods.map((m) => LABELS.authMethod[m]),
            r.authzModel ? LABELS.authzModel[r.authzModel] : TRI_LABELS.unknown,
            tri(r.centrallyLogged),
            r.tags,
            ...CONTROL_IDS.map((id) => LABELS.controlStatus[r.controls[id]]),
            r.updatedAt,
          ]),
        ),
      );
    },
  });
  const stamp = new Date().toISOString().slice(0, 10);
  return new Response(stream, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="apiledger-inventory-${stamp}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
