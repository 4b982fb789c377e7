import { getActor } from "@/lib/auth/current-actor";
import { requirePermission } from "@/lib/authz/policy";
import { problemFor } from "@/lib/http/responses";
import { csvDownload } from "@/lib/csv/csv-writer";
import { parseAuditView } from "@/lib/audit/list-view";
import { iterateAuditEntries } from "@/lib/audit/queries";

const HEADER = [
  "seq",
  "at",
  "actorEmail",
  "ip",
  "action",
  "targetType",
  "targetId",
  "summary",
  "diff",
  "prevHash",
  "hash",
];

/**
 * The audit log's current view (kind of action, person or record searched for) as CSV, oldest first, with
 * each entry's hashes: `npm run audit:verify` and the evidence bundle prove the chain; this is for reading.
 */
export async function GET(request: Request) {
  let actor;
  try {
    // getActor refuses a session still on its one-time password (403 saying what to do).
    actor = await getActor();
    requirePermission(actor, "audit:read");
  } catch (error) {
    return problemFor(error);
  }
  const view = parseAuditView(Object.fromEntries(new URL(request.url).searchParams));
  const stamp = new Date().toISOString().slice(0, 10);
  return csvDownload(
    HEADER,
    iterateAuditEntries(actor, view),
    (e) => [
      String(e.seq),
      e.at.toISOString(),
      e.actorEmail,
      e.ip,
      e.action,
      e.targetType,
      e.targetId,
      e.summary,
      e.diff,
      e.prevHash,
      e.hash,
    ],
    `apiledger-audit-log-${stamp}.csv`,
  );
}
