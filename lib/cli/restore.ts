// npm run restore -- FILE [--identity KEYFILE]
// Restores a backup made by `npm run backup` into the empty installation that DATABASE_URL and
// APILEDGER_DATA_DIR name (lib/backup/restore.ts); then run `npm run audit:verify`. An encrypted backup
// needs the age private key it was encrypted to (lib/backup/encryption.ts).
import { fail, parseFlags } from "@/lib/cli/run";
import { disconnectDb } from "@/lib/db/client";
import { RestoreRefused, restoreBackup } from "@/lib/backup/restore";
import { AgeKeyError, readIdentities } from "@/lib/backup/encryption";

const USAGE = "usage: npm run restore -- FILE [--identity KEYFILE]";
const args = process.argv.slice(2);
const flags = parseFlags(args);
const positional = args.filter((a, i) => !a.startsWith("--") && !(i > 0 && args[i - 1] === "--identity"));
const [file, ...rest] = positional;
if (!file || rest.length || Object.keys(flags).some((k) => k !== "identity") || flags.identity === true) fail(USAGE);
try {
  const identities = typeof flags.identity === "string" ? readIdentities(flags.identity) : undefined;
  const { manifest, files } = await restoreBackup(file, (line) => console.log(`restore: ${line}`), { identities });
  console.log(`Restored the backup of ${manifest.createdAt}: the database and ${files} file(s).`);
  if (manifest.head) console.log(`The audit log holds entry ${manifest.head.seq} as the backup named it.`);
  console.log("Check the whole log against its checkpoints with: npm run audit:verify");
} catch (error) {
  if (error instanceof RestoreRefused || error instanceof AgeKeyError) fail(`restore refused: ${error.message}`);
  fail(
    `restore failed: ${(error as Error).message}${/postgres/.test(process.env.DATABASE_URL ?? "") ? " (drop and create the PostgreSQL database again before the next try)" : ""}`,
  );
} finally {
  await disconnectDb();
}
