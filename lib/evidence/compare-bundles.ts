// evidence:verify --previous: two bundles of one installation, each with a signed audit-log checkpoint,
// must tell one story. Offline an auditor cannot replay the whole log, but a log that was truncated or
// rewritten between two exports shows here when the later checkpoint covers fewer entries than the
// earlier one, or a different entry at the same number, or when the later bundle's own audit-log rows
// hold a different entry where the earlier checkpoint was signed. Anything beyond that needs the live
// log: audit:verify --checkpoint older.zip --checkpoint newer.zip on the installation.
import { buffer } from "node:stream/consumers";
import type { SignedCheckpoint } from "@/lib/audit/checkpoint-format";
import { forEachZipEntry } from "@/lib/evidence/zip-entries";

export async function compareCheckpoints(newerFile: string, newer: SignedCheckpoint | null, older: SignedCheckpoint | null): Promise<{ problems: string[]; notes: string[] }> {
  const problems: string[] = [];
  const notes: string[] = [];
  if (!newer || !older) return { problems: [`${!older ? "The previous bundle" : "This bundle"} carries no audit-log checkpoint (exported before checkpoints were added), so the two cannot be compared.`], notes };
  if (newer.installation !== older.installation) problems.push(`The two bundles were signed by different keys (${older.installation} and ${newer.installation}).`);
  if (older.time > newer.time) problems.push(`The previous bundle's checkpoint (${older.time.toISOString()}) is later than this bundle's (${newer.time.toISOString()}): give the older bundle with --previous.`);
  else if (older.seq > newer.seq) problems.push(`This bundle's checkpoint covers entries up to ${newer.seq}, fewer than the previous bundle's (${older.seq}): the audit log was truncated or rolled back between the two exports.`);
  else if (older.seq === newer.seq && older.head !== newer.head) problems.push(`Both checkpoints cover entry ${older.seq} but with different hashes: the audit log was rewritten between the two exports.`);
  const rows = await auditRows(newerFile, older.seq);
  const at = rows.get(older.seq);
  const next = rows.get(older.seq + 1);
  if (at && at.hash !== older.head) problems.push(`This bundle's audit log holds entry ${older.seq} with the hash ${at.hash}, but the previous bundle's checkpoint signed ${older.head}: the log was rewritten between the two exports.`);
  if (next && next.prevHash !== older.head) problems.push(`This bundle's audit log holds entry ${older.seq + 1} linked to ${next.prevHash}, not to the entry the previous checkpoint signed: the log was rewritten between the two exports.`);
  if (!at && !next && problems.length === 0) notes.push(`Entry ${older.seq} is outside this bundle's period, so only the two checkpoints were compared; on the installation, npm run audit:verify -- --checkpoint <each bundle> checks the whole log against both.`);
  return { problems, notes };
}

/** The rows of data/audit-log.json for the entries `seq` and `seq + 1`, by number. */
async function auditRows(file: string, seq: number): Promise<Map<number, { hash: string; prevHash: string }>> {
  const out = new Map<number, { hash: string; prevHash: string }>();
  await forEachZipEntry(file, async (name, stream) => {
    if (name !== "data/audit-log.json") {
      for await (const _ of stream); // drained, so the next entry can be read
      return;
    }
    const rows = JSON.parse((await buffer(stream)).toString("utf8")) as { seq: number; hash: string; prevHash: string }[];
    for (const r of rows) if (r.seq === seq || r.seq === seq + 1) out.set(r.seq, { hash: r.hash, prevHash: r.prevHash });
  });
  return out;
}
