// npm run backup -- --out FILE [--without-secrets]
// Writes the installation's database snapshot and its data folder's files into one ZIP (lib/backup/backup.ts).
// The file holds the secrets file: keep it as you keep that.
import { fail, parseFlags } from "@/lib/cli/run";
import { disconnectDb } from "@/lib/db/client";
import { makeBackup } from "@/lib/backup/backup";

const flags = parseFlags(process.argv.slice(2));
const out = typeof flags.out === "string" ? flags.out : fail("usage: npm run backup -- --out FILE [--without-secrets]");
const withoutSecrets = flags["without-secrets"] === true;
try {
  const manifest = await makeBackup(out, (line) => console.log(`backup: ${line}`), { withoutSecrets });
  console.log(
    `Backed up the ${manifest.provider === "sqlite" ? "SQLite" : "PostgreSQL"} database and ${manifest.files.length - 1} file(s) to ${out}.`,
  );
  if (manifest.head) console.log(`Audit log head: entry ${manifest.head.seq}, hash ${manifest.head.hash}.`);
  if (manifest.checkpoint)
    console.log(
      `Latest signed checkpoint: entries up to ${manifest.checkpoint.seq}, head ${manifest.checkpoint.head}.`,
    );
  console.log(
    withoutSecrets
      ? "The file does not hold secrets.json: keep that file (the session secret and the signing key) apart."
      : "The file holds the session secret and the signing key (secrets.json): store it as securely as them, or back up with --without-secrets.",
  );
} catch (error) {
  fail(`backup failed: ${(error as Error).message}`);
} finally {
  await disconnectDb();
}
