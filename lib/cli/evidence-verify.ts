// npm run evidence:verify -- bundle.zip [--public-key trusted.pem]
// Checks both signatures and every file's SHA-256 without the database or a network; exit 1 if
// anything does not match. Prints the signing key's fingerprint to compare with the one ApiLedger shows.
import fs from "node:fs";
import { fail, parseFlags } from "@/lib/cli/run";
import { secretsFile } from "@/lib/secrets";
import { keyFingerprint } from "@/lib/evidence/signing";
import { verifyBundle } from "@/lib/evidence/verify-bundle";

const args = process.argv.slice(2);
const flags = parseFlags(args);
const file = args.find((a, i) => !a.startsWith("--") && args[i - 1] !== "--public-key");
if (!file) fail("usage: npm run evidence:verify -- bundle.zip [--public-key trusted.pem]");
if (!fs.existsSync(file)) fail(`${file} does not exist.`);
const trusted = typeof flags["public-key"] === "string" ? fs.readFileSync(flags["public-key"], "utf8") : undefined;

const report = await verifyBundle(file, { publicKeyPem: trusted });
console.log(`Signing key fingerprint (SHA-256): ${report.fingerprint ?? "unknown"}`);
// Said only when this machine holds an installation's key; it is never created here.
if (!trusted && report.fingerprint && fs.existsSync(secretsFile())) {
  const own = keyFingerprint((JSON.parse(fs.readFileSync(secretsFile(), "utf8")) as { signingPublicKeyPem: string }).signingPublicKeyPem);
  console.log(own === report.fingerprint ? "That is this installation's key." : "That is NOT this installation's key: check the fingerprint with the installation that exported the bundle.");
}
if (report.ok) {
  console.log(`Bundle intact: ${report.files} files, both signatures and every checksum verified.`);
} else {
  console.error(`Bundle NOT intact (${report.problems.length} problem(s)):`);
  for (const p of report.problems.slice(0, 50)) console.error(`  - ${p}`);
  process.exit(1);
}
