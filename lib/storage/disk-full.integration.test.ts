// A full disk, for real: the data directory (uploads and the SQLite file) on a small tmpfs, filled up.
// The person is told the storage is full (REST: 507), nothing half-written stays behind, and the same
// request works once space is freed. Needs root (mount), as on the development and CI machines.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate } from "@/lib/testing/test-db";
import { db, disconnectDb } from "@/lib/db/client";
import { seedDemo } from "@/prisma/seed";
import type { Actor, Role } from "@/lib/authz/policy";
import { createDocument } from "@/lib/documents/create-document";
import { addDocumentVersion } from "@/lib/documents/add-version";
import { runAction } from "@/lib/next/action-result";
import { problemFor } from "@/lib/http/responses";
import { faultKind } from "@/lib/db/fault-errors";
import { ABANDONED_TEMP_MS } from "@/lib/storage/local-blob-store";
import { removeAbandonedUploads } from "@/lib/storage/blob-store";

const isRoot = process.getuid?.() === 0;
const pdf = (size: number) =>
  Buffer.concat([
    Buffer.from("%PDF-1.7\n1 0 obj\n<< /Title (policy) >>\nendobj\n"),
    randomBytes(size),
    Buffer.from("\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"),
  ]);
const details = {
  label: "1.0",
  changeNote: "First issue.",
  body: "",
  effectiveDate: "2026-11-01",
  nextReviewDate: "2027-11-01",
};

describe.runIf(isRoot)("a full disk (a small tmpfs, filled up)", () => {
  let dir: string;
  let manager: Actor;
  let docId: string;
  const filler = () => path.join(dir, "filler");
  const files = () =>
    fs
      .readdirSync(path.join(dir, "files"), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => e.name);
  /** Fills the file system up to `leave` bytes free (0: completely). */
  const fill = (leave: number) => {
    const fd = fs.openSync(filler(), "a");
    const chunk = Buffer.alloc(64 * 1024);
    try {
      for (;;) {
        const free = fs.statfsSync(dir).bavail * fs.statfsSync(dir).bsize;
        if (free <= leave) break;
        fs.writeSync(fd, chunk, 0, Math.min(chunk.length, Math.max(4096, free - leave)));
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOSPC") throw error;
    } finally {
      fs.closeSync(fd);
    }
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "apiledger-full-"));
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=24m,mode=0700", "tmpfs", dir]);
    const url = `file:${path.join(dir, "apiledger.db")}`;
    migrate(url);
    await disconnectDb();
    process.env.DATABASE_URL = url;
    process.env.APILEDGER_DATA_DIR = dir;
    await seedDemo();
    const u = await db.user.findUniqueOrThrow({ where: { email: "manager@example.com" } });
    manager = { kind: "user", id: u.id, email: u.email, role: u.role as Role, teamId: u.teamId };
    ({ id: docId } = await createDocument(
      { actor: manager },
      { kind: "API_SECURITY_STANDARD", title: "API security standard", description: "" },
    ));
  });
  afterAll(async () => {
    await disconnectDb();
    delete process.env.APILEDGER_DATA_DIR;
    if (dir) {
      execFileSync("umount", [dir]);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("an upload that does not fit says the storage is full (507 over REST), leaves no temporary file, and works once space is freed", async () => {
    fill(256 * 1024);
    const bytes = pdf(1024 * 1024);
    const result = await runAction(() =>
      addDocumentVersion({ actor: manager }, docId, details, { name: "standard.pdf", bytes }),
    );
    expect(result).toMatchObject({
      ok: false,
      code: "STORAGE_FULL",
      message: expect.stringMatching(/storage is full/),
    });
    const error = await addDocumentVersion({ actor: manager }, docId, details, { name: "standard.pdf", bytes }).catch(
      (e: unknown) => e,
    );
    const response = problemFor(error);
    expect(response.status).toBe(507);
    expect(await response.json()).toMatchObject({ detail: expect.stringMatching(/storage is full/) });
    expect(files()).toEqual([]); // neither the blob nor a .tmp- file
    expect(await db.documentVersion.count({ where: { documentId: docId } })).toBe(0);
    fs.rmSync(filler());
    expect(
      await runAction(() => addDocumentVersion({ actor: manager }, docId, details, { name: "standard.pdf", bytes })),
    ).toMatchObject({ ok: true });
    expect(files()).toHaveLength(1);
  });

  it("a database write on a full disk says the storage is full, and the same write succeeds once space is freed", async () => {
    // Empty the write-ahead log first, so the next write needs new disk space instead of reusing it.
    const sqlite = new Database(path.join(dir, "apiledger.db"));
    sqlite.pragma("wal_checkpoint(TRUNCATE)");
    sqlite.close();
    fill(0);
    const body = randomBytes(100_000).toString("base64url");
    const result = await runAction(() =>
      addDocumentVersion({ actor: manager }, docId, { ...details, label: "2.0", body }, null),
    );
    expect(result).toMatchObject({
      ok: false,
      code: "STORAGE_FULL",
      message: expect.stringMatching(/storage is full/),
    });
    // Some writes that hit a full disk come back from SQLite as I/O errors: storage full while the disk is.
    expect(faultKind({ code: "SQLITE_IOERR_WRITE" })).toBe("full");
    fs.rmSync(filler());
    expect(faultKind({ code: "SQLITE_IOERR_WRITE" })).toBe("unavailable");
    expect(
      await runAction(() => addDocumentVersion({ actor: manager }, docId, { ...details, label: "2.0", body }, null)),
    ).toMatchObject({ ok: true });
    expect(await db.documentVersion.count({ where: { documentId: docId } })).toBe(2);
  });

  it("start-up removes temporary files an interrupted upload left, but not one being written", async () => {
    const stale = path.join(dir, "files", ".tmp-left-by-a-crash");
    const fresh = path.join(dir, "files", ".tmp-being-written");
    fs.writeFileSync(stale, "partial");
    fs.writeFileSync(fresh, "partial");
    const old = new Date(Date.now() - ABANDONED_TEMP_MS - 1000);
    fs.utimesSync(stale, old, old);
    expect(await removeAbandonedUploads()).toBe(1);
    expect(fs.existsSync(stale)).toBe(false);
    expect(fs.existsSync(fresh)).toBe(true);
    fs.rmSync(fresh);
  });
});
