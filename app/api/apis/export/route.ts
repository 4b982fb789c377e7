import { getActor } from "@/lib/auth/current-actor";
import { iterateApis } from "@/lib/apis/queries";
import { parseListParams } from "@/lib/apis/list-params";
import { requirePermission } from "@/lib/authz/policy";
import { problemFor } from "@/lib/http/responses";
import { csvDownload } from "@/lib/csv/csv-writer";
import { LABELS } from "@/lib/apis/enums";
import { API_FIELD_KEYS, API_FIELDS, displayValue } from "@/lib/apis/record";
import { CONTROLS, CONTROL_IDS } from "@/lib/ism/controls";

/** The inventory's current view (same filters and sort as the page, all pages) as CSV. */
export async function GET(request: Request) {
  let actor;
  try {
    // getActor refuses a session still on its one-time password (403 saying what to do).
    actor = await getActor();
    requirePermission(actor, "api:export");
  } catch (error) {
    return problemFor(error);
  }
  const params = parseListParams(Object.fromEntries(new URL(request.url).searchParams));
  // Every field of the API record (lib/apis/record.ts) as people read it, then each control's status.
  const header = [...API_FIELD_KEYS.map((f) => API_FIELDS[f].label), ...CONTROL_IDS.map((id) => CONTROLS[id].label)];
  const stamp = new Date().toISOString().slice(0, 10);
  return csvDownload(
    header,
    iterateApis(actor, params),
    (r) => [
      ...API_FIELD_KEYS.map((f) => displayValue(f, r)),
      ...CONTROL_IDS.map((id) => LABELS.controlStatus[r.controls[id]]),
    ],
    `apiledger-inventory-${stamp}.csv`,
  );
}
