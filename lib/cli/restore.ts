// npm run restore -- FILE
// Restores a backup made by `npm run backup` into the empty installation that DATABASE_URL and
// APILEDGER_DATA_DIR name (lib/backup/restore.ts); then run `npm run audit:verify`.
import { fail } from "@/lib/cli/run";
import { disconnectDb } from "@/lib/db/client";
import { RestoreRefused, restoreBackup } from "@/lib/backup/restore";

const [file, ...rest] = process.argv.slice(2);
if (!file || rest.length || file.startsWith("--")) fail("usage: npm run restore -- FILE");
try {
  const { manifest, files } = await restoreBackup(file, (line) => console.log(`restore: ${line}`));
  console.log(`Restored the backup of ${manifest.createdAt}: the database and ${files} file(s).`);
  if (manifest.head) console.log(`The audit log holds entry ${manifest.head.seq} as the backup named it.`);
  console.log("Check the whole log against its checkpoints with: npm run audit:verify");
} catch (error) {
  if (error instanceof RestoreRefused) fail(`restore refused: ${error.message}`);
  fail(
    `restore failed: ${(error as Error).message}${/postgres/.test(process.env.DATABASE_URL ?? "") ? " (drop and create the PostgreSQL database again before the next try)" : ""}`,
  );
} finally {
  await disconnectDb();
}
