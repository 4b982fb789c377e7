// npm run signing-key:rotate
// Replaces the signing key kept in the secrets file with a new one. The old key first signs a checkpoint
// of the audit log as it stands (so a log the old key's checkpoints contradict is refused before
// anything changes), the new key then signs one of its own, and the old public key stays listed as
// retired: bundles and checkpoints it signed still verify, here and on the Evidence page — up to the new
// key's first checkpoint, recorded as the old key's last entry: anything it signs past that is refused.
// A key the operator configured (APILEDGER_SIGNING_KEY_FILE or APILEDGER_SIGNING_KEY) is rotated by the
// operator: this says how.
import { fail } from "@/lib/cli/run";
import { db, disconnectDb } from "@/lib/db/client";
import { makeCheckpoint } from "@/lib/checkpoints/make-checkpoint";
import { recordRetiredKeyLastEntry, rotateStoredSigningKey, secretsFile } from "@/lib/runtime/secrets";
import { keyFingerprint } from "@/lib/signing/key";

if (process.argv.length > 2) fail("usage: npm run signing-key:rotate");
if (process.env.APILEDGER_SIGNING_KEY_FILE?.trim() || process.env.APILEDGER_SIGNING_KEY?.trim())
  fail(
    [
      "The signing key is configured (APILEDGER_SIGNING_KEY_FILE or APILEDGER_SIGNING_KEY), so you rotate it:",
      "  1. openssl pkey -in current.pem -pubout >> retired-keys.pem   (and set APILEDGER_SIGNING_RETIRED_KEYS_FILE to it)",
      "  2. openssl genpkey -algorithm ed25519 -out new.pem            (and point every instance at it)",
      "  3. restart the instances; the next checkpoint is signed with the new key.",
      "  4. once every instance runs with the new key, write `ApiLedger-Last-Entry: N` directly above the old",
      "     key's block in retired-keys.pem, N being the entries the latest checkpoint covers (npm run audit:verify",
      "     prints it): the old key vouches for nothing after that. A key that leaked gets `ApiLedger-Revoked: why`.",
    ].join("\n"),
  );

try {
  const before = await makeCheckpoint("rotation");
  const { oldPublicKeyPem, newPublicKeyPem } = rotateStoredSigningKey();
  // The old key vouches for nothing past the new key's first checkpoint: every process signs with the new
  // key from there (make-checkpoint.ts reads the key in the chain's turn). Should that checkpoint fail, the
  // limit is the log's head once it has: the old key is out of the secrets file already.
  const after = await makeCheckpoint("rotation").catch(async (error: unknown) => {
    const head = await db.auditEntry.findFirst({ orderBy: { seq: "desc" }, select: { seq: true } });
    recordRetiredKeyLastEntry(keyFingerprint(oldPublicKeyPem), head?.seq ?? 0);
    throw error;
  });
  const lastEntry = after?.seq ?? before?.seq ?? 0;
  recordRetiredKeyLastEntry(keyFingerprint(oldPublicKeyPem), lastEntry);
  console.log(
    `Retired the key ${keyFingerprint(oldPublicKeyPem)}; its last checkpoint covers entries up to ${before?.seq}, and nothing it signs for entries after ${lastEntry} is trusted.`,
  );
  console.log(
    `Signing now with the key ${keyFingerprint(newPublicKeyPem)}; its first checkpoint covers entries up to ${after?.seq}.`,
  );
  console.log(`Both are in ${secretsFile()}. Give auditors the new fingerprint (the Evidence page lists both).`);
} finally {
  await disconnectDb();
}
