import "server-only";
import { db } from "@/lib/db/client";
import type { ChainReport } from "@/lib/audit/chain";
import { checkCheckpoint, type SignedCheckpoint } from "@/lib/audit/checkpoint-format";
import { verifyAuditChain } from "@/lib/audit/verify";
import type { RetiredKeyLimit } from "@/lib/signing/key";

// audit:verify's second half: the chain must agree with every signed checkpoint it is given. A hash chain
// alone cannot show that its last entries were deleted, or that the whole log from entry N on was
// rewritten with fresh hashes; a checkpoint signed before the change can (Certificate Transparency's
// answer to the same problem). Checkpoints come from the database, the checkpoint file, and whatever the
// auditor kept (evidence bundles, copies of the file, the SIEM).

export type CheckpointSource = { label: string; checkpoints: { text: string; signature: string }[] };

/** At most this many checkpoint problems are listed (all are counted). */
const MAX_LISTED = 100;

export type AuditLogReport = {
  ok: boolean;
  chain: ChainReport;
  /** Distinct checkpoints whose signature verified with a trusted key. */
  checkpoints: number;
  latest: SignedCheckpoint | null;
  problemCount: number;
  problems: string[];
  /** Said, not failed: e.g. no checkpoint at all to compare with. */
  notes: string[];
};

export async function verifyAuditLog(
  sources: CheckpointSource[],
  trustedKeys: readonly string[],
  limits: ReadonlyMap<string, RetiredKeyLimit> = new Map(),
): Promise<AuditLogReport> {
  const chain = await verifyAuditChain();
  const problems: string[] = [];
  const notes: string[] = [];
  const valid = new Map<string, { checkpoint: SignedCheckpoint; label: string }>();
  for (const source of sources) {
    source.checkpoints.forEach((signed, i) => {
      const checked = checkCheckpoint(signed, trustedKeys, limits);
      // A revoked key's checkpoints are set aside, not held against the log: the key is distrusted, not the log.
      if (!checked.ok && checked.revoked)
        notes.push(`checkpoint ${i + 1} in ${source.label} is not used: ${checked.problem}`);
      else if (!checked.ok)
        problems.push(`checkpoint ${i + 1} in ${source.label} cannot be trusted: ${checked.problem}`);
      else if (!valid.has(signed.text)) valid.set(signed.text, { checkpoint: checked.checkpoint, label: source.label });
    });
  }
  const checkpoints = [...valid.values()].sort((a, b) => a.checkpoint.seq - b.checkpoint.seq);
  const stored = new Map<number, string>();
  const seqs = [...new Set(checkpoints.map((c) => c.checkpoint.seq))];
  for (let i = 0; i < seqs.length; i += 500) {
    for (const e of await db.auditEntry.findMany({
      where: { seq: { in: seqs.slice(i, i + 500) } },
      select: { seq: true, hash: true },
    }))
      stored.set(e.seq, e.hash);
  }
  const end = chain.head?.seq ?? 0;
  for (const { checkpoint: c, label } of checkpoints) {
    const signedAt = `the checkpoint signed ${c.time.toISOString()} (from ${label})`;
    const hash = stored.get(c.seq);
    if (hash === undefined && c.seq > end)
      problems.push(
        `the log ends at entry ${end || "(none: it is empty)"}, but ${signedAt} covers entries up to ${c.seq}: entries were deleted from the end of the log`,
      );
    else if (hash === undefined)
      problems.push(`the log has no entry ${c.seq}, which ${signedAt} covers: entries were deleted`);
    else if (hash !== c.head)
      problems.push(
        `entry ${c.seq} has the hash ${hash}, but ${signedAt} says ${c.head}: the log was rewritten at or before entry ${c.seq}`,
      );
  }
  const latest = checkpoints.at(-1)?.checkpoint ?? null;
  if (!latest)
    notes.push(
      "No signed checkpoint was available: deleting the last entries, or rewriting the log and recomputing every hash, cannot be detected without one.",
    );
  else if (latest.seq < end)
    notes.push(
      `Entries ${latest.seq + 1}–${end} were written after the latest checkpoint (${latest.time.toISOString()}); the next checkpoint will cover them.`,
    );
  const listed = problems.slice(0, MAX_LISTED);
  return {
    ok: chain.ok && problems.length === 0,
    chain,
    checkpoints: checkpoints.length,
    latest,
    problemCount: problems.length,
    problems: listed,
    notes,
  };
}

/** The checkpoints stored in the database, as a source (a DBA can delete these rows, not forge them). */
export async function storedCheckpoints(): Promise<CheckpointSource> {
  const rows = await db.auditCheckpoint.findMany({ orderBy: { seq: "asc" }, select: { text: true, signature: true } });
  return { label: "the database", checkpoints: rows };
}
