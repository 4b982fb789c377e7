// Restores a backup (lib/backup/backup.ts) into the installation the environment names, which must be
// empty: a SQLite file that does not exist yet or a PostgreSQL database without tables, and a data folder
// without secrets, files or bundles. Every file is checked against backup.json's SHA-256 as it is
// written, and the restored audit log must hold the entry the backup named as its head.
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { Transform } from "node:stream";
import pg from "pg";
import { checkpointFilePath } from "@/lib/audit/checkpoint-file";
import { databaseUrl, libpqUrl, providerOf, sqlitePath } from "@/lib/db/db-url";
import { db, disconnectDb } from "@/lib/db/client";
import { forEachZipEntry } from "@/lib/evidence/zip-entries";
import { blobStoreKind } from "@/lib/storage/blob-store";
import { copyBlobs } from "@/lib/storage/copy-blobs";
import { dataDir } from "@/lib/runtime/secrets";
import { AgeKeyError, ageFormOf, decryptFile } from "@/lib/backup/encryption";
import { BACKUP_FORMAT, MANIFEST, PG_ENTRY, SQLITE_ENTRY, runPgTool, type BackupManifest } from "@/lib/backup/backup";

/** A backup that cannot be restored here, said in words. */
export class RestoreRefused extends Error {}

async function readManifest(file: string): Promise<BackupManifest> {
  let text: string | null = null;
  await forEachZipEntry(file, async (name, stream) => {
    if (name === MANIFEST) {
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      text = Buffer.concat(chunks).toString("utf8");
    } else for await (const _ of stream); // drained
  });
  if (text === null) throw new RestoreRefused(`${file} has no ${MANIFEST}: it is not an ApiLedger backup.`);
  const manifest = JSON.parse(text) as BackupManifest;
  if (manifest.format !== BACKUP_FORMAT)
    throw new RestoreRefused(`${file} is a backup in the format ${String(manifest.format)}, not ${BACKUP_FORMAT}.`);
  return manifest;
}

/** Where an archived file goes; null for one this restore does not place (the database is placed by provider). */
function targetOf(name: string, work: string, keepCheckpointFile: boolean): string | null {
  if (name === SQLITE_ENTRY || name === PG_ENTRY) return path.join(work, path.basename(name));
  // A checkpoint file already there is kept, never replaced by the backup's older copy: audit:verify then
  // checks the restored log against every checkpoint signed since, and says so if the restore cut it back.
  if (name === "checkpoints/audit-checkpoints.log")
    return keepCheckpointFile ? path.join(work, "backup-checkpoints.log") : checkpointFilePath();
  if (name.startsWith("data/")) {
    const relative = name.slice("data/".length);
    if (!/^(secrets\.json|files\/[0-9a-f]{2}\/[0-9a-f]{64}|evidence\/[A-Za-z0-9_-]+\.zip)$/.test(relative))
      throw new RestoreRefused(`The backup holds a file this version does not place: ${name}.`);
    return path.join(dataDir(), relative);
  }
  throw new RestoreRefused(`The backup holds a file this version does not place: ${name}.`);
}

async function refuseUnlessEmpty(provider: "sqlite" | "postgres", url: string): Promise<void> {
  const root = dataDir();
  for (const name of ["secrets.json", "files", "evidence"])
    if (fs.existsSync(path.join(root, name)))
      throw new RestoreRefused(
        `${path.join(root, name)} exists: restore into an empty data folder (APILEDGER_DATA_DIR).`,
      );
  if (provider === "sqlite") {
    const file = path.resolve(sqlitePath(url));
    if (fs.existsSync(file)) throw new RestoreRefused(`${file} exists: restore into a new database file.`);
    return;
  }
  const client = new pg.Client({ connectionString: libpqUrl(url).url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(
      "SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'public'",
    );
    if (Number(rows[0]?.n) > 0)
      throw new RestoreRefused("The PostgreSQL database in DATABASE_URL has tables: restore into an empty database.");
  } finally {
    await client.end();
  }
}

export async function restoreBackup(
  given: string,
  log: (line: string) => void = () => {},
  options: { identities?: string[] } = {},
): Promise<{ manifest: BackupManifest; files: number }> {
  // An encrypted backup is decrypted into a folder only this user reads, restored from there, and removed.
  const form = ageFormOf(given);
  if (form === "armored")
    throw new RestoreRefused(
      `${given} is age-encrypted in its armored (text) form: decrypt it with \`age -d -i KEYFILE\` first, then restore the ZIP.`,
    );
  if (form && !options.identities?.length)
    throw new RestoreRefused(
      `${given} is encrypted (age): give the private key it was encrypted to with --identity KEYFILE.`,
    );
  const decrypted = form ? fs.mkdtempSync(path.join(os.tmpdir(), "apiledger-decrypted-")) : null;
  // Stopped (Ctrl-C, a service manager's SIGTERM), the decrypted copy is removed too, not left in /tmp.
  const stopped = (signal: NodeJS.Signals) => {
    if (decrypted) fs.rmSync(decrypted, { recursive: true, force: true });
    process.exit(signal === "SIGINT" ? 130 : 143);
  };
  if (decrypted) for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, stopped);
  try {
    let file = given;
    if (decrypted) {
      file = path.join(decrypted, "backup.zip");
      try {
        await decryptFile(given, file, options.identities!);
      } catch (error) {
        if (error instanceof AgeKeyError) throw new RestoreRefused(error.message);
        throw error;
      }
      log(`decrypted ${given} with the identity given`);
    }
    return await restoreFrom(file, log);
  } finally {
    if (decrypted) {
      for (const signal of ["SIGINT", "SIGTERM"] as const) process.off(signal, stopped);
      fs.rmSync(decrypted, { recursive: true, force: true });
    }
  }
}

async function restoreFrom(
  file: string,
  log: (line: string) => void,
): Promise<{ manifest: BackupManifest; files: number }> {
  const manifest = await readManifest(file);
  const url = databaseUrl();
  const provider = providerOf(url);
  if (manifest.provider !== provider)
    throw new RestoreRefused(
      `The backup is of a ${manifest.provider} installation and DATABASE_URL names ${provider}; restore it into the same kind of database.`,
    );
  await refuseUnlessEmpty(provider, url);
  const keptCheckpointFile = fs.existsSync(checkpointFilePath());
  if (keptCheckpointFile)
    log(`kept the checkpoint file ${checkpointFilePath()}: audit:verify checks the restored log against it`);
  const listed = new Map(manifest.files.map((f) => [f.path, f]));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "apiledger-restore-"));
  const written: string[] = [];
  let databasePlaced = false;
  try {
    const seen = new Set<string>();
    await forEachZipEntry(file, async (name, stream) => {
      if (name === MANIFEST) {
        for await (const _ of stream); // read above
        return;
      }
      const want = listed.get(name);
      if (!want) throw new RestoreRefused(`${name} is in the archive but not in ${MANIFEST}.`);
      const target = targetOf(name, work, keptCheckpointFile)!;
      fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
      const hash = createHash("sha256");
      let size = 0;
      written.push(target);
      await pipeline(
        stream,
        new Transform({
          transform(chunk: Buffer, _encoding, done) {
            hash.update(chunk);
            size += chunk.length;
            done(null, chunk);
          },
        }),
        fs.createWriteStream(target, { mode: 0o600, flags: "wx" }),
      );
      if (size !== want.size || hash.digest("hex") !== want.sha256)
        throw new RestoreRefused(`${name} does not match its SHA-256 in ${MANIFEST}: the backup is damaged.`);
      seen.add(name);
    });
    const missing = manifest.files.filter((f) => !seen.has(f.path));
    if (missing.length) throw new RestoreRefused(`The archive lacks ${missing.map((f) => f.path).join(", ")}.`);

    if (provider === "sqlite") {
      const target = path.resolve(sqlitePath(url));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.copyFileSync(path.join(work, "apiledger.db"), target, fs.constants.COPYFILE_EXCL);
      databasePlaced = true;
    } else {
      runPgTool(
        "pg_restore",
        ["--no-owner", "--no-privileges", "--exit-on-error", path.join(work, "postgres.dump")],
        url,
      );
    }
    log(`database restored (${provider}), ${seen.size - 1} file(s) placed`);

    // The snapshot holds the head the backup named, unchanged.
    await disconnectDb();
    if (manifest.head) {
      const entry = await db.auditEntry.findUnique({ where: { seq: manifest.head.seq }, select: { hash: true } });
      if (entry?.hash !== manifest.head.hash)
        throw new RestoreRefused(
          `The restored audit log does not hold entry ${manifest.head.seq} as the backup named it.`,
        );
    }
    // An installation on an S3 bucket serves its files from there: the backup's go in (checked against their
    // names; any already there are left). They stay in the data folder too, as a restore of a local store has them.
    if (blobStoreKind() === "s3") {
      const { copied, present } = await copyBlobs("local", "s3");
      log(`${copied + present} stored file(s) in the S3 bucket (${copied} copied, ${present} there already)`);
    }
    return { manifest, files: seen.size - 1 };
  } catch (error) {
    // No half-restored data folder or SQLite file is left to be mistaken for an installation (a PostgreSQL
    // database pg_restore had begun to fill must be dropped and created again: the CLI says so).
    for (const target of written) if (!target.startsWith(work)) fs.rmSync(target, { force: true });
    for (const folder of ["files", "evidence"])
      fs.rmSync(path.join(dataDir(), folder), { recursive: true, force: true });
    if (provider === "sqlite" && databasePlaced) fs.rmSync(path.resolve(sqlitePath(url)), { force: true });
    throw error;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
