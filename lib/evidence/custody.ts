import "server-only";
import { authorizedWrite, type WriteContext } from "@/lib/audit/authorized-write";
import { db } from "@/lib/db/client";

// A bundle's chain of custody in the audit log: the export entry (action evidence.export, target the
// manifest's SHA-256) is written before the archive can be complete; its outcome is its own entry after
// — evidence.export-stored or evidence.export-failed, naming the manifest in its details — whether the
// bundle was built by the server (target: the export request) or by `npm run evidence:export` (target:
// the manifest). An export entry with no outcome was interrupted: the process was killed or the machine
// stopped between the two, and no bundle may be assumed to exist.

export const OUTCOME_ACTIONS = ["evidence.export-stored", "evidence.export-failed"] as const;
export type CustodyOutcome = { status: "stored" } | { status: "failed"; reason: string } | { status: "none" };

/** The outcome entry of a bundle exported by the command line. */
export async function recordCliExportOutcome(
  write: WriteContext,
  manifestSha256: string,
  outcome: { sha256: string; bytes: number; file: string } | { error: string },
): Promise<void> {
  const stored = "sha256" in outcome;
  await authorizedWrite(write, { permission: "evidence:export" }, async (_tx, audit) => {
    await audit({
      action: stored ? "evidence.export-stored" : "evidence.export-failed",
      targetType: "evidence-bundle",
      targetId: manifestSha256,
      summary: stored
        ? `Evidence bundle written to ${outcome.file} (${(outcome.bytes / 1048576).toFixed(1)} MB)`
        : `Evidence export failed: ${outcome.error}`,
      details: stored
        ? { status: "DONE", manifestSha256, sha256: outcome.sha256, bytes: outcome.bytes, file: outcome.file }
        : { status: "FAILED", manifestSha256, error: outcome.error },
    });
  });
}

/** For export entries (by manifest hash): stored, failed with its reason, or none recorded (interrupted). */
export async function custodyOutcomes(manifestHashes: string[]): Promise<Map<string, CustodyOutcome>> {
  const result = new Map<string, CustodyOutcome>(manifestHashes.map((h) => [h, { status: "none" }]));
  if (manifestHashes.length === 0) return result;
  const outcomes = await db.auditEntry.findMany({
    where: {
      action: { in: [...OUTCOME_ACTIONS] },
      OR: manifestHashes.map((h) => ({ diff: { contains: `"manifestSha256":"${h}"` } })),
    },
    select: { action: true, diff: true },
  });
  for (const o of outcomes) {
    const details = JSON.parse(o.diff) as { manifestSha256?: string; error?: string };
    if (!details.manifestSha256 || !result.has(details.manifestSha256)) continue;
    result.set(
      details.manifestSha256,
      o.action === "evidence.export-stored" ? { status: "stored" } : { status: "failed", reason: details.error ?? "" },
    );
  }
  return result;
}
