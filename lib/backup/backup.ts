// A backup of an installation in one ZIP: the database as a consistent snapshot (SQLite's online backup,
// or pg_dump's custom format), then the stored files — uploaded blobs from the data folder or the S3
// bucket (content-addressed and never changed, so any a snapshot refers to are there when they are copied
// after it; PostgreSQL's store is in the dump), finished evidence
// bundles, the secrets file (the session secret and the signing key: the archive is as secret as they are,
// written 0600) and the checkpoint file. backup.json lists every file with its size and SHA-256 and names
// the audit log's head and latest checkpoint, which a restore checks it reproduced.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import Database from "better-sqlite3";
import { ZipFile } from "yazl";
import { checkpointFilePath } from "@/lib/audit/checkpoint-file";
import { databaseUrl, libpqUrl, providerOf, sqlitePath } from "@/lib/db/db-url";
import { db } from "@/lib/db/client";
import { dataDir, secretsFile } from "@/lib/runtime/secrets";
import { encryptStream } from "@/lib/backup/encryption";
import { blobStoreKind, closeBlobStore, makeBlobStore } from "@/lib/storage/blob-store";
import { LocalBlobStore } from "@/lib/storage/local-blob-store";
import { forEachBlobFile } from "@/lib/storage/copy-blobs";

export const BACKUP_FORMAT = "apiledger-backup/1";
export const MANIFEST = "backup.json";
export const SQLITE_ENTRY = "database/apiledger.db";
export const PG_ENTRY = "database/postgres.dump";

export type BackupManifest = {
  format: typeof BACKUP_FORMAT;
  createdAt: string;
  provider: "sqlite" | "postgres";
  head: { seq: number; hash: string } | null;
  checkpoint: { seq: number; head: string } | null;
  files: { path: string; size: number; sha256: string }[];
};

/** PostgreSQL's own tools, from APILEDGER_PG_BIN when set (a version matching the server's), else the PATH. */
export function pgTool(name: "pg_dump" | "pg_restore"): string {
  const dir = process.env.APILEDGER_PG_BIN?.trim();
  return dir ? path.join(dir, name) : name;
}

/**
 * Runs pg_dump or pg_restore on the database `url` names. The password goes in PGPASSWORD, not on the
 * command line where `ps` shows it to every local user, and a failure says what the tool said, never
 * the command with its URL.
 */
export function runPgTool(name: "pg_dump" | "pg_restore", args: string[], url: string): void {
  const parsed = new URL(libpqUrl(url).url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = "";
  const target = name === "pg_dump" ? parsed.toString() : `--dbname=${parsed.toString()}`;
  try {
    execFileSync(pgTool(name), [target, ...args], {
      stdio: ["ignore", "ignore", "pipe"],
      env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) },
    });
  } catch (error) {
    const said = (error as { stderr?: Buffer }).stderr?.toString().trim();
    // The cause names the command, whose URL carries no password.
    throw new Error(`${name} failed${said ? `: ${said.replaceAll(password || "\u0000", "***")}` : ""}`, {
      cause: error,
    });
  }
}

function sha256File(file: string): string {
  const hash = createHash("sha256");
  const fd = fs.openSync(file, "r");
  try {
    const buffer = Buffer.alloc(1 << 20);
    for (let n; (n = fs.readSync(fd, buffer, 0, buffer.length, null)) > 0;) hash.update(buffer.subarray(0, n));
  } finally {
    fs.closeSync(fd);
  }
  return hash.digest("hex");
}

function filesUnder(root: string, skip: (name: string) => boolean): string[] {
  if (!fs.existsSync(root)) return [];
  const out: string[] = [];
  for (const entry of fs.readdirSync(root, { withFileTypes: true })) {
    if (skip(entry.name)) continue;
    const full = path.join(root, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(full, skip));
    else if (entry.isFile()) out.push(full);
  }
  return out.sort();
}

/** Writes a backup of the installation the environment names to `out` (which must not exist). */
export async function makeBackup(
  out: string,
  log: (line: string) => void = () => {},
  options: { withoutSecrets?: boolean; recipients?: string[] } = {},
): Promise<BackupManifest> {
  // Opened (created, 0600) first: another run writing the same name fails here, and only a file this run
  // created is removed when it fails.
  let fd: number;
  try {
    fd = fs.openSync(out, "wx", 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST")
      throw new Error(`${out} already exists; choose a new file.`, { cause: error });
    throw error;
  }
  let written = false;
  try {
    const manifest = await writeBackup(fd, out, log, options);
    written = true;
    return manifest;
  } finally {
    if (!written) {
      // Already closed when the stream that wrote it failed.
      try {
        fs.closeSync(fd);
      } catch {
        // EBADF: nothing left to close.
      }
      fs.rmSync(out, { force: true });
    }
  }
}

async function writeBackup(
  fd: number,
  out: string,
  log: (line: string) => void,
  options: { withoutSecrets?: boolean; recipients?: string[] },
): Promise<BackupManifest> {
  const url = databaseUrl();
  const provider = providerOf(url);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "apiledger-backup-"));
  try {
    // The head before the snapshot: the snapshot holds at least this, and the restore checks it.
    const [head, checkpoint] = await Promise.all([
      db.auditEntry.findFirst({ orderBy: { seq: "desc" }, select: { seq: true, hash: true } }),
      db.auditCheckpoint.findFirst({ orderBy: { seq: "desc" }, select: { seq: true, headHash: true } }),
    ]);
    const entries: { path: string; source: string }[] = [];
    if (provider === "sqlite") {
      const snapshot = path.join(work, "apiledger.db");
      const source = new Database(path.resolve(sqlitePath(url)), { readonly: true, fileMustExist: true });
      try {
        await source.backup(snapshot);
      } finally {
        source.close();
      }
      entries.push({ path: SQLITE_ENTRY, source: snapshot });
    } else {
      const dump = path.join(work, "postgres.dump");
      runPgTool("pg_dump", ["--format=custom", "--no-owner", "--no-privileges", `--file=${dump}`], url);
      entries.push({ path: PG_ENTRY, source: dump });
    }
    log(`database snapshot taken (${provider})`);
    const root = dataDir();
    const sqliteFile = provider === "sqlite" ? path.resolve(sqlitePath(url)) : null;
    for (const file of filesUnder(path.join(root, "files"), (n) => n.startsWith(".tmp-")))
      entries.push({ path: `data/${path.relative(root, file)}`, source: file });
    // On an S3 bucket the files are not in the data folder: each is copied in as the local store keeps it
    // (data/files/ab/abcd…, checked against its name on the way), so a restore places them there and puts them
    // into its own bucket (lib/backup/restore.ts). PostgreSQL's store is in pg_dump's snapshot already.
    if (blobStoreKind() === "s3") {
      const staged = path.join(work, "files");
      const staging = new LocalBlobStore(staged);
      const bucket = makeBlobStore("s3");
      let copied = 0;
      try {
        await forEachBlobFile(bucket, fs.mkdtempSync(path.join(work, "blob-")), async (sha256, file) => {
          await staging.putFile(sha256, file);
          copied++;
        });
      } finally {
        await closeBlobStore(bucket);
      }
      const listed = new Set(entries.map((e) => e.path));
      for (const file of filesUnder(staged, (n) => n.startsWith(".tmp-"))) {
        const entry = `data/files/${path.relative(staged, file)}`;
        if (!listed.has(entry)) entries.push({ path: entry, source: file });
      }
      log(`${copied} stored file(s) read from the S3 bucket`);
    }
    for (const file of filesUnder(path.join(root, "evidence"), (n) => n.endsWith(".partial")))
      entries.push({ path: `data/${path.relative(root, file)}`, source: file });
    // Left out for a backup kept by someone who must not hold the signing key (a database administrator):
    // restored without it, the installation signs with a new key, and the old one's bundles verify by its
    // fingerprint.
    if (!options.withoutSecrets && fs.existsSync(secretsFile()))
      entries.push({ path: "data/secrets.json", source: secretsFile() });
    const checkpoints = checkpointFilePath();
    if (fs.existsSync(checkpoints) && checkpoints !== sqliteFile)
      entries.push({ path: "checkpoints/audit-checkpoints.log", source: checkpoints });

    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      createdAt: new Date().toISOString(),
      provider,
      head: head ? { seq: head.seq, hash: head.hash } : null,
      checkpoint: checkpoint ? { seq: checkpoint.seq, head: checkpoint.headHash } : null,
      files: entries.map((e) => ({ path: e.path, size: fs.statSync(e.source).size, sha256: sha256File(e.source) })),
    };
    const zip = new ZipFile();
    zip.addBuffer(Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`), MANIFEST);
    for (const e of entries) zip.addFile(e.source, e.path);
    zip.end();
    // Encrypted as it is written (lib/backup/encryption.ts): no plaintext copy reaches the disk.
    const bytes = options.recipients?.length
      ? await encryptStream(zip.outputStream as Readable, options.recipients)
      : (zip.outputStream as Readable);
    await pipeline(bytes, fs.createWriteStream(out, { fd }));
    log(
      `${entries.length} file(s) written to ${out}${options.recipients?.length ? `, encrypted to ${options.recipients.length} age recipient(s)` : ""}`,
    );
    return manifest;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
