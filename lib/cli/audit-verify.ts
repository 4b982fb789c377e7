// npm run audit:verify [-- --checkpoint FILE …] [--public-key FILE …] [--fingerprint HEX …] [--no-file]
// Walks the whole hash-chained audit log and checks it against every signed checkpoint it can get: those
// stored in the database, the checkpoint file (APILEDGER_CHECKPOINT_FILE; --no-file skips it) and each
// --checkpoint the auditor gives (a checkpoint file, or an evidence bundle ZIP). Exit 1 if any entry was
// altered, removed or reordered, or the log contradicts a checkpoint (its last entries deleted, or
// rewritten with fresh hashes). Every broken entry and every contradiction is reported, not only the first.
// Checkpoints are believed only when signed by a trusted key: this installation's, current or retired
// (lib/signing/key.ts), a --public-key, or a bundle's key whose fingerprint was given with --fingerprint.
import fs from "node:fs";
import { fail } from "@/lib/cli/run";
import { verifyAuditLog, storedCheckpoints, type CheckpointSource } from "@/lib/audit/checkpoint-verify";
import { checkpointFilePath, readCheckpointLines } from "@/lib/audit/checkpoint-file";
import { disconnectDb } from "@/lib/db/client";
import { installationPublicKeys, keyFingerprint, retiredKeyLimits } from "@/lib/signing/key";
import { isZip, readBundleCheckpoint } from "@/lib/evidence/bundle-checkpoint";
import { normaliseFingerprint } from "@/lib/evidence/verify-bundle";

const USAGE =
  "usage: npm run audit:verify [-- --checkpoint FILE …] [--public-key FILE …] [--fingerprint HEX …] [--no-file]";
const args = process.argv.slice(2);
const many = (flag: string) =>
  args.flatMap((a, i) =>
    a === flag ? [args[i + 1] ?? fail(USAGE)] : a.startsWith(`${flag}=`) ? [a.slice(flag.length + 1)] : [],
  );
for (const a of args)
  if (a.startsWith("--") && !["--checkpoint", "--public-key", "--fingerprint", "--no-file"].includes(a.split("=")[0]!))
    fail(USAGE);

const trusted: string[] = installationPublicKeys();
for (const file of many("--public-key")) trusted.push(fs.readFileSync(file, "utf8"));
const fingerprints = new Set(many("--fingerprint").map(normaliseFingerprint));

const sources: CheckpointSource[] = [await storedCheckpoints()];
const file = checkpointFilePath();
if (!args.includes("--no-file")) {
  if (fs.existsSync(file)) sources.push({ label: file, checkpoints: readCheckpointLines(file) });
  else
    console.log(
      `Note: there is no checkpoint file at ${file} (none was made yet, or APILEDGER_CHECKPOINT_FILE points elsewhere).`,
    );
}
for (const given of many("--checkpoint")) {
  if (!fs.existsSync(given)) fail(`${given} does not exist.`);
  const fd = fs.openSync(given, "r");
  const head = Buffer.alloc(4);
  fs.readSync(fd, head, 0, 4, 0);
  fs.closeSync(fd);
  if (isZip(head)) {
    const bundle = await readBundleCheckpoint(given);
    if (!bundle.checkpoint)
      fail(`${given} is an evidence bundle without an audit-log checkpoint (exported before checkpoints were added).`);
    // A bundle's own key is trusted only when the auditor vouched for its fingerprint.
    if (bundle.publicKeyPem && fingerprints.has(keyFingerprint(bundle.publicKeyPem))) trusted.push(bundle.publicKeyPem);
    sources.push({ label: given, checkpoints: [bundle.checkpoint] });
  } else {
    sources.push({ label: given, checkpoints: readCheckpointLines(given) });
  }
}

// Retired keys vouch only up to their last entry; revoked ones are not among the trusted keys at all.
const report = await verifyAuditLog(sources, trusted, retiredKeyLimits());
await disconnectDb();
const { chain } = report;
if (chain.ok) console.log(`Hash chain intact: ${chain.count} entries verified.`);
else {
  console.error(`Hash chain BROKEN: ${chain.brokenCount} of ${chain.count} entries fail verification.`);
  for (const b of chain.broken) console.error(`  - ${b.reason}`);
  if (chain.brokenCount > chain.broken.length)
    console.error(`  … and ${chain.brokenCount - chain.broken.length} more.`);
}
if (chain.head) console.log(`Head: entry ${chain.head.seq}, hash ${chain.head.hash}`);
console.log(
  `Checked against ${report.checkpoints} signed checkpoint(s)${report.latest ? `; the latest covers entries up to ${report.latest.seq} (signed ${report.latest.time.toISOString()})` : ""}.`,
);
for (const note of report.notes) console.log(`Note: ${note}`);
if (report.problemCount) {
  console.error(`The log CONTRADICTS its checkpoints (${report.problemCount} problem(s)):`);
  for (const p of report.problems) console.error(`  - ${p}`);
  if (report.problemCount > report.problems.length)
    console.error(`  … and ${report.problemCount - report.problems.length} more.`);
}
if (report.ok) console.log("Audit log intact.");
else {
  console.error("Audit log NOT intact.");
  process.exit(1);
}
