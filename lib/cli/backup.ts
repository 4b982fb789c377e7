// npm run backup -- --out FILE [--without-secrets] [--recipient AGE1… | --recipients-file FILE]
// Writes the installation's database snapshot and its data folder's files into one ZIP (lib/backup/backup.ts),
// encrypted with age to the recipients given (lib/backup/encryption.ts). Unencrypted, the file holds the
// secrets file: keep it as you keep that.
import { fail, parseFlags } from "@/lib/cli/run";
import { disconnectDb } from "@/lib/db/client";
import { makeBackup } from "@/lib/backup/backup";
import { AgeKeyError, readRecipients } from "@/lib/backup/encryption";

const USAGE = "usage: npm run backup -- --out FILE [--without-secrets] [--recipient AGE1… | --recipients-file FILE]";
const flags = parseFlags(process.argv.slice(2));
const out = typeof flags.out === "string" ? flags.out : fail(USAGE);
const withoutSecrets = flags["without-secrets"] === true;
// Given at all, a recipient setting must name one: an empty value (an unset variable in a cron line) must
// not quietly write the keys unencrypted.
const asked = "recipient" in flags || "recipients-file" in flags;
for (const flag of ["recipient", "recipients-file"])
  if (flag in flags && (typeof flags[flag] !== "string" || !(flags[flag] as string).trim()))
    fail(`--${flag} was given without a value: nothing was written. ${USAGE}`);
let recipients: string[] | undefined;
try {
  recipients = asked
    ? readRecipients({ recipient: flags.recipient as string, file: flags["recipients-file"] as string })
    : undefined;
} catch (error) {
  if (error instanceof AgeKeyError) fail(error.message);
  throw error;
}
try {
  const manifest = await makeBackup(out, (line) => console.log(`backup: ${line}`), { withoutSecrets, recipients });
  console.log(
    `Backed up the ${manifest.provider === "sqlite" ? "SQLite" : "PostgreSQL"} database and ${manifest.files.length - 1} file(s) to ${out}.`,
  );
  if (manifest.head) console.log(`Audit log head: entry ${manifest.head.seq}, hash ${manifest.head.hash}.`);
  if (manifest.checkpoint)
    console.log(
      `Latest signed checkpoint: entries up to ${manifest.checkpoint.seq}, head ${manifest.checkpoint.head}.`,
    );
  console.log(
    recipients
      ? `The file is encrypted with age to ${recipients.length} recipient(s): only their private keys read it (npm run restore -- FILE --identity KEYFILE, or age -d -i KEYFILE).`
      : withoutSecrets
        ? "The file does not hold secrets.json: keep that file (the session secret and the signing key) apart."
        : "The file holds the session secret and the signing key (secrets.json): store it as securely as them, encrypt it with --recipient, or back up with --without-secrets.",
  );
} catch (error) {
  fail(`backup failed: ${(error as Error).message}`);
} finally {
  await disconnectDb();
}
