// npm run evidence:verify -- bundle.zip [--public-key trusted.pem] [--fingerprint HEX] [--previous older.zip]
// Checks both signatures and every file's SHA-256 without the database or a network, and that the
// signing key is one this verifier trusts: the key file or fingerprint given, or else (when this machine
// holds an installation) that installation's key, or one of its earlier keys for a bundle signed before a rotation. Exit 1 if anything does not match or no
// trusted key is known: a bundle re-signed with someone else's key must never pass as intact.
// --previous: an older bundle of the same installation, verified the same way; the two audit-log
// checkpoints must tell one story (lib/evidence/compare-bundles.ts).
import fs from "node:fs";
import { fail, parseFlags } from "@/lib/cli/run";
import { installationPublicKeys, keyFingerprint, retiredKeyLimits } from "@/lib/signing/key";
import { normaliseFingerprint, verifyBundle, type TrustAnchor } from "@/lib/evidence/verify-bundle";
import { readBundleCheckpoint } from "@/lib/evidence/bundle-checkpoint";
import { compareCheckpoints } from "@/lib/evidence/compare-bundles";

const USAGE =
  "usage: npm run evidence:verify -- bundle.zip [--public-key trusted.pem] [--fingerprint HEX] [--previous older.zip]";
const args = process.argv.slice(2);
const flags = parseFlags(args);
const file = args.find(
  (a, i) => !a.startsWith("--") && !["--public-key", "--fingerprint", "--previous"].includes(args[i - 1] ?? ""),
);
if (!file) fail(USAGE);
if (!fs.existsSync(file)) fail(`${file} does not exist.`);
if (flags.fingerprint === true || flags["public-key"] === true || flags.previous === true) fail(USAGE);
if (typeof flags.previous === "string" && !fs.existsSync(flags.previous)) fail(`${flags.previous} does not exist.`);
if (typeof flags.fingerprint === "string" && !/^[0-9a-f]{64}$/.test(normaliseFingerprint(flags.fingerprint)))
  fail("--fingerprint must be the key's SHA-256 fingerprint: 64 hexadecimal digits.");

// This machine's installation keys, current first, read only (never created here).
const installation = installationPublicKeys();
const own = installation[0] ?? null;
const trust: TrustAnchor = {
  ...(typeof flags["public-key"] === "string" ? { publicKeyPem: fs.readFileSync(flags["public-key"], "utf8") } : {}),
  ...(typeof flags.fingerprint === "string" ? { fingerprint: flags.fingerprint } : {}),
};
const explicit = Boolean(trust.publicKeyPem || trust.fingerprint);
// The installation's key that signed this bundle, if one did: the current one, or an earlier one.
const signer = !explicit && own ? await bundleKeyAmong(file, installation) : null;
if (!explicit && own) trust.publicKeyPem = signer ?? own;

const report = await verifyBundle(file, trust);

/** Which of `keys` the bundle's public-key.pem is, or null. */
async function bundleKeyAmong(bundle: string, keys: string[]): Promise<string | null> {
  const fingerprint = await bundleKeyFingerprint(bundle);
  return keys.find((k) => keyFingerprint(k) === fingerprint) ?? null;
}

/** The fingerprint of the bundle's own public-key.pem, or null (an unreadable bundle is reported by verifyBundle). */
async function bundleKeyFingerprint(bundle: string): Promise<string | null> {
  const pem = await readBundleCheckpoint(bundle)
    .then((b) => b.publicKeyPem)
    .catch(() => null);
  return pem ? keyFingerprint(pem) : null;
}
console.log(`Signing key fingerprint (SHA-256): ${report.fingerprint ?? "unknown"}`);
if (!explicit && own)
  console.log(
    signer && signer !== own
      ? "Trusted key: an earlier key of the installation on this machine, retired by a rotation."
      : "Trusted key: the installation's on this machine.",
  );
else if (explicit)
  console.log(
    `Trusted key: the one you gave (${trust.fingerprint ? normaliseFingerprint(trust.fingerprint) : keyFingerprint(trust.publicKeyPem!)}).`,
  );
if (explicit && own && report.fingerprint && report.fingerprint !== keyFingerprint(own)) {
  console.log(`Note: that is NOT the key of the installation on this machine (${keyFingerprint(own)}).`);
}
if (report.checkpoint)
  console.log(
    `Audit-log checkpoint: entries up to ${report.checkpoint.seq}, head ${report.checkpoint.head}, signed ${report.checkpoint.time.toISOString()}.`,
  );
const problems = [...report.problems, ...(await retiredKeyProblems(file, report.checkpoint, ""))];

/**
 * What this machine's installation says of the bundle's own key, when it retired it: revoked (nothing it
 * signed is trusted), or retired after an entry the bundle's checkpoint goes past (it was signed after the
 * key was retired). Holds whichever key the auditor trusts: a limit is the installation's word on its key.
 */
async function retiredKeyProblems(
  bundle: string,
  checkpoint: { seq: number } | null,
  which: string,
): Promise<string[]> {
  const fingerprint = await bundleKeyFingerprint(bundle);
  const limit = fingerprint ? retiredKeyLimits().get(fingerprint) : undefined;
  if (limit?.revoked)
    return [
      `${which}the bundle is signed by the key ${fingerprint}, which this installation revoked (${limit.revoked}): nothing it signed is trusted`,
    ];
  if (limit?.lastEntry != null && !checkpoint)
    return [
      `${which}the bundle is signed by the key ${fingerprint}, retired after entry ${limit.lastEntry}, and carries no audit-log checkpoint to show it was made before then`,
    ];
  if (limit?.lastEntry != null && checkpoint && checkpoint.seq > limit.lastEntry)
    return [
      `${which}the bundle covers audit entries up to ${checkpoint.seq}, but its key ${fingerprint} was retired after entry ${limit.lastEntry}: it was signed with a retired key`,
    ];
  return [];
}
if (typeof flags.previous === "string") {
  // An older bundle may be signed by a key the installation has since retired.
  const olderSigner = !explicit && own ? await bundleKeyAmong(flags.previous, installation) : null;
  const older = await verifyBundle(flags.previous, olderSigner ? { publicKeyPem: olderSigner } : trust);
  problems.push(
    ...older.problems.map((p) => `previous bundle: ${p}`),
    ...(await retiredKeyProblems(flags.previous, older.checkpoint, "previous bundle: ")),
  );
  if (older.ok) {
    const compared = await compareCheckpoints(
      file,
      report.checkpoint,
      older.checkpoint,
      explicit ? [] : installation.map(keyFingerprint),
    );
    problems.push(...compared.problems);
    for (const note of compared.notes) console.log(`Note: ${note}`);
    if (compared.problems.length === 0)
      console.log(
        `Consistent with the previous bundle, whose checkpoint covers entries up to ${older.checkpoint!.seq} (signed ${older.checkpoint!.time.toISOString()}).`,
      );
  }
}
if (problems.length === 0) {
  console.log(
    `Bundle intact: ${report.files} files, both signatures and every checksum verified, signed by the key ${report.fingerprint}.`,
  );
  console.log(
    "This proves the bundle came from whoever holds that key: it must be the fingerprint you obtained out of band.",
  );
} else {
  console.error(`Bundle NOT verified (${problems.length} problem(s)):`);
  for (const p of problems.slice(0, 50)) console.error(`  - ${p}`);
  process.exit(1);
}
