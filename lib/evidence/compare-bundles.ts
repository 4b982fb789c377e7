// evidence:verify --previous: two bundles of one installation, each with a signed audit-log checkpoint,
// must tell one story. Offline an auditor cannot replay the whole log, but a log that was truncated or
// rewritten between two exports shows here when the later checkpoint covers fewer entries than the
// earlier one, or a different entry at the same number, or when the later bundle's own audit-log rows
// hold a different entry where the earlier checkpoint was signed. Anything beyond that needs the live
// log: audit:verify --checkpoint older.zip --checkpoint newer.zip on the installation.
import { buffer } from "node:stream/consumers";
import type { SignedCheckpoint } from "@/lib/audit/checkpoint-format";
import { forEachZipEntry } from "@/lib/evidence/zip-entries";

export async function compareCheckpoints(
  newerFile: string,
  newer: SignedCheckpoint | null,
  older: SignedCheckpoint | null,
  /** Fingerprints of the keys one installation signs or signed with (a rotation changes the key, not the log). */
  oneInstallation: string[] = [],
): Promise<{ problems: string[]; notes: string[] }> {
  const problems: string[] = [];
  const notes: string[] = [];
  if (!newer || !older)
    return {
      problems: [
        `${!older ? "The previous bundle" : "This bundle"} carries no audit-log checkpoint (exported before checkpoints were added), so the two cannot be compared.`,
      ],
      notes,
    };
  if (
    newer.installation !== older.installation &&
    oneInstallation.includes(newer.installation) &&
    oneInstallation.includes(older.installation)
  )
    notes.push(
      `The two bundles were signed by different keys of this installation (${older.installation}, since retired, and ${newer.installation}).`,
    );
  else if (newer.installation !== older.installation)
    problems.push(`The two bundles were signed by different keys (${older.installation} and ${newer.installation}).`);
  if (older.time > newer.time)
    problems.push(
      `The previous bundle's checkpoint (${older.time.toISOString()}) is later than this bundle's (${newer.time.toISOString()}): give the older bundle with --previous.`,
    );
  else if (older.seq > newer.seq)
    problems.push(
      `This bundle's checkpoint covers entries up to ${newer.seq}, fewer than the previous bundle's (${older.seq}): the audit log was truncated or rolled back between the two exports.`,
    );
  else if (older.seq === newer.seq && older.head !== newer.head)
    problems.push(
      `Both checkpoints cover entry ${older.seq} but with different hashes: the audit log was rewritten between the two exports.`,
    );
  const { at, before, after } = await auditRowsAround(newerFile, older.seq);
  const rewritten = "the log was rewritten between the two exports";
  if (at && at.hash !== older.head)
    problems.push(
      `This bundle's audit log holds entry ${older.seq} with the hash ${at.hash}, but the previous bundle's checkpoint signed ${older.head}: ${rewritten}.`,
    );
  else if (at && after && after.seq === older.seq + 1 && after.prevHash !== at.hash)
    problems.push(
      `This bundle's audit log holds entry ${after.seq} linked to ${after.prevHash}, not to entry ${older.seq}: ${rewritten}.`,
    );
  else if (!at && after && after.seq === older.seq + 1 && after.prevHash !== older.head)
    problems.push(
      `This bundle's audit log holds entry ${after.seq} linked to ${after.prevHash}, not to the entry the previous checkpoint signed: ${rewritten}.`,
    );
  else if (!at && before && after && after.prevHash === before.hash) {
    // Sequence numbers can have gaps (a rolled-back write on PostgreSQL), but a chain that links straight
    // across the number of an entry the installation signed means that entry is gone.
    problems.push(
      `This bundle's audit log links entry ${after.seq} straight to entry ${before.seq}: entry ${older.seq}, which the previous bundle's checkpoint signed, is no longer in the log (deleted, and the log rewritten after it).`,
    );
  }
  if (!at && !after && problems.length === 0)
    notes.push(
      `Entry ${older.seq} is after the last audit entry this bundle's data files hold, so only the two checkpoints were compared; on the installation, npm run audit:verify -- --checkpoint <each bundle> checks the whole log against both.`,
    );
  return { problems, notes };
}

type Row = { seq: number; hash: string; prevHash: string };

/** From data/audit-log.json: the entry `seq`, the last one before it and the first one after it. */
async function auditRowsAround(file: string, seq: number): Promise<{ at?: Row; before?: Row; after?: Row }> {
  const out: { at?: Row; before?: Row; after?: Row } = {};
  await forEachZipEntry(file, async (name, stream) => {
    if (name !== "data/audit-log.json") {
      for await (const _ of stream); // drained, so the next entry can be read
      return;
    }
    for (const r of JSON.parse((await buffer(stream)).toString("utf8")) as Row[]) {
      const row = { seq: r.seq, hash: r.hash, prevHash: r.prevHash };
      if (r.seq === seq) out.at = row;
      else if (r.seq < seq && (!out.before || r.seq > out.before.seq)) out.before = row;
      else if (r.seq > seq && (!out.after || r.seq < out.after.seq)) out.after = row;
    }
  });
  return out;
}
