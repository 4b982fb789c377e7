// The attack of finding 3: delete rows from a bundle's data file, fix every checksum, re-sign with a key
// of one's own. Such a bundle is internally consistent, so only the signing key can give it away:
// evidence:verify must refuse it unless the auditor explicitly trusts the forger's key.
import { generateKeyPairSync, createHash, sign } from "node:crypto";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase, type TestDatabase } from "@/lib/testing/test-db";
import { readZip, writeZip } from "@/lib/testing/read-zip";
import { db } from "@/lib/db/client";
import { seedDemo } from "@/prisma/seed";
import type { Actor, Role } from "@/lib/authz/policy";
import { ingestAuthEvents } from "@/lib/events/ingest-events";
import { exportEvidenceBundle } from "@/lib/evidence/export-bundle";
import { keyFingerprint, signingKey } from "@/lib/signing/key";
import Database from "better-sqlite3";
import { sqlitePath } from "@/lib/db/db-url";
import { authorizedWrite } from "@/lib/audit/authorized-write";
import { checkpointFilePath } from "@/lib/audit/checkpoint-file";

const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");

/** What a forger does: drop rows, recompute the manifest and SHA256SUMS, sign both with their own key. */
async function forge(
  real: string,
  out: string,
): Promise<{ fingerprint: string; keptEvents: number; realEvents: number }> {
  const files = await readZip(real);
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const publicPem = publicKey.export({ type: "spki", format: "pem" }).toString();
  const csv = files.get("data/auth-events.csv")!.toString("utf8").split("\r\n");
  const json = JSON.parse(files.get("data/auth-events.json")!.toString("utf8")) as unknown[];
  const keep = Math.floor(json.length / 2);
  files.set("data/auth-events.csv", Buffer.from([...csv.slice(0, keep + 1), ""].join("\r\n")));
  files.set("data/auth-events.json", Buffer.from(`${JSON.stringify(json.slice(0, keep))}\n`));
  files.set("public-key.pem", Buffer.from(publicPem));
  const manifest = JSON.parse(files.get("manifest.json")!.toString("utf8"));
  manifest.signature.fingerprintSha256 = keyFingerprint(publicPem);
  // The audit checkpoint too: the forger signs one of their own, naming their key.
  const checkpointText = (manifest.auditCheckpoint.text as string).replace(
    /installation=[0-9a-f]{64}/,
    `installation=${keyFingerprint(publicPem)}`,
  );
  const checkpointSig = sign(null, Buffer.from(checkpointText), privateKey);
  manifest.auditCheckpoint = {
    ...manifest.auditCheckpoint,
    text: checkpointText,
    signature: checkpointSig.toString("base64"),
  };
  files.set("audit-checkpoint.txt", Buffer.from(checkpointText));
  files.set("audit-checkpoint.sig", checkpointSig);
  manifest.files = manifest.files.map((f: { path: string }) => ({
    ...f,
    size: files.get(f.path)!.length,
    sha256: sha256(files.get(f.path)!),
  }));
  files.set("manifest.json", Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`));
  files.set("manifest.json.sig", sign(null, files.get("manifest.json")!, privateKey));
  const sums = files
    .get("SHA256SUMS")!
    .toString("utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => line.slice(66))
    .map((name) => `${sha256(files.get(name)!)}  ${name}\n`)
    .join("");
  files.set("SHA256SUMS", Buffer.from(sums));
  files.set("SHA256SUMS.sig", sign(null, files.get("SHA256SUMS")!, privateKey));
  await writeZip(files, out);
  return { fingerprint: keyFingerprint(publicPem), keptEvents: keep, realEvents: json.length };
}

describe("a forged evidence bundle", () => {
  let database: TestDatabase;
  let dir: string;
  let installation: string;
  let real: string;
  let forged: { fingerprint: string; keptEvents: number; realEvents: number };
  let auditor: Actor;
  const forgedFile = () => path.join(dir, "forged.zip");
  const verify = (file: string, args: string[], dataDir: string) => {
    const r = spawnSync(
      process.execPath,
      ["--import", "tsx", "--conditions=react-server", "lib/cli/evidence-verify.ts", file, ...args],
      { env: { ...process.env, APILEDGER_DATA_DIR: dataDir }, encoding: "utf8" },
    );
    return { code: r.status, out: r.stdout + r.stderr };
  };

  beforeAll(async () => {
    database = await useTestDatabase("sqlite");
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "apiledger-forged-"));
    installation = path.join(dir, "installation");
    process.env.APILEDGER_DATA_DIR = installation;
    await seedDemo();
    const u = await db.user.findUniqueOrThrow({ where: { email: "auditor@example.com" } });
    auditor = { kind: "user", id: u.id, email: u.email, role: u.role as Role, teamId: u.teamId };
    const admin = await db.user.findUniqueOrThrow({ where: { email: "admin@example.com" } });
    const api = await db.api.findFirstOrThrow({ where: { deletedAt: null } });
    const now = new Date();
    await ingestAuthEvents(
      { actor: { kind: "user", id: admin.id, email: admin.email, role: "ADMIN", teamId: admin.teamId } },
      Array.from({ length: 20 }, (_, i) => ({
        time: new Date(now.getTime() - (i + 1) * 1000).toISOString(),
        api: api.id,
        clientId: "c",
        principal: `p${i}`,
        outcome: "success",
      })),
    );
    real = path.join(dir, "real.zip");
    await exportEvidenceBundle(
      { actor: auditor },
      { period: String(now.getUTCFullYear()) },
      fs.createWriteStream(real),
    );
    forged = await forge(real, forgedFile());
    fs.writeFileSync(path.join(dir, "real.pem"), signingKey().publicKeyPem);
  });
  afterAll(async () => {
    delete process.env.APILEDGER_DATA_DIR;
    await database?.drop();
  });

  it("is internally consistent: rows were removed and every checksum and signature matches the forger's key", async () => {
    expect(forged.keptEvents).toBeLessThan(forged.realEvents);
    const r = verify(forgedFile(), ["--fingerprint", forged.fingerprint], path.join(dir, "nowhere"));
    expect(r.out).toMatch(/Bundle intact/);
  });

  it("fails offline with no trusted key, and says how to get the fingerprint — the real bundle too", () => {
    for (const file of [forgedFile(), real]) {
      const r = verify(file, [], path.join(dir, "offline"));
      expect(r.code).toBe(1);
      expect(r.out).toMatch(/No trusted key was given/);
      expect(r.out).toMatch(/Evidence page, or a letter from the agency\) and run again with --fingerprint/);
    }
    expect(fs.existsSync(path.join(dir, "offline"))).toBe(false);
  });

  it("fails against the installation's key, its fingerprint and its key file; the real bundle passes each", () => {
    const realFingerprint = signingKey().fingerprint;
    for (const args of [
      [],
      ["--fingerprint", realFingerprint],
      ["--fingerprint", realFingerprint.toUpperCase().match(/../g)!.join(":")],
      ["--public-key", path.join(dir, "real.pem")],
    ]) {
      const bad = verify(forgedFile(), args, installation);
      expect(bad.code, args.join(" ")).toBe(1);
      expect(bad.out).toMatch(/Bundle NOT verified/);
      expect(bad.out).not.toMatch(/Bundle intact/);
      const good = verify(real, args, installation);
      expect(good.code, `${args.join(" ")}: ${good.out}`).toBe(0);
      expect(good.out).toMatch(new RegExp(`Bundle intact: .* signed by the key ${realFingerprint}`));
    }
  });

  it("passes with the forger's fingerprint only as a statement about that key, and warns it is not this installation's", () => {
    const r = verify(forgedFile(), ["--fingerprint", forged.fingerprint], installation);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(new RegExp(`signed by the key ${forged.fingerprint}`));
    expect(r.out).toMatch(/must be the fingerprint you obtained out of band/);
    expect(r.out).toMatch(/that is NOT the key of the installation on this machine/);
  });

  describe("evidence:verify --previous", () => {
    const exportAgain = async (name: string) => {
      const file = path.join(dir, name);
      await exportEvidenceBundle(
        { actor: auditor },
        { period: String(new Date().getUTCFullYear()) },
        fs.createWriteStream(file),
      );
      return file;
    };
    const writes = async (n: number) => {
      for (let i = 0; i < n; i++)
        await authorizedWrite({ actor: auditor }, { permission: "evidence:export" }, async (_tx, audit) =>
          audit({ action: "test.write", targetType: "test", targetId: String(i) }),
        );
    };
    const realFingerprint = () => signingKey().fingerprint;

    it("passes for a later bundle of the same untouched log", async () => {
      await writes(2);
      const later = await exportAgain("later.zip");
      const r = verify(later, ["--fingerprint", realFingerprint(), "--previous", real], installation);
      expect(r.out).toMatch(/Consistent with the previous bundle, whose checkpoint covers entries up to \d+/);
      expect(r.code).toBe(0);
      // The older one given as the newer: refused, not silently accepted.
      expect(verify(real, ["--fingerprint", realFingerprint(), "--previous", later], installation).out).toMatch(
        /give the older bundle with --previous/,
      );
    });

    it("fails when the log was cut back and written on between two exports, even where the server's own witnesses were destroyed too", async () => {
      const older = await exportAgain("before-rewrite.zip");
      const { seq } = JSON.parse((await readZip(older)).get("manifest.json")!.toString("utf8")).auditCheckpoint as {
        seq: number;
      };
      // Whoever controls the server deletes the tail, the stored checkpoints and the checkpoint file.
      const file = new Database(sqlitePath(database.url));
      file.prepare('DELETE FROM "AuditEntry" WHERE "seq" > ?').run(seq - 3);
      file.prepare('DELETE FROM "AuditCheckpoint"').run();
      file.close();
      fs.rmSync(checkpointFilePath(), { force: true });
      // Right after the cut the newer bundle's data ends before the old checkpoint: offline, the two
      // checkpoints alone cannot show it (said so) — the live log can.
      const cut = await exportAgain("after-cut.zip");
      const early = verify(cut, ["--fingerprint", realFingerprint(), "--previous", older], installation);
      expect(early.out).toMatch(
        /only the two checkpoints were compared; on the installation, npm run audit:verify -- --checkpoint/,
      );
      const live = spawnSync(
        process.execPath,
        [
          "--import",
          "tsx",
          "--conditions=react-server",
          "lib/cli/audit-verify.ts",
          "--checkpoint",
          older,
          "--fingerprint",
          realFingerprint(),
        ],
        {
          env: { ...process.env, DATABASE_URL: database.url, APILEDGER_DATA_DIR: path.join(dir, "auditor") },
          encoding: "utf8",
        },
      );
      expect(live.status).toBe(1);
      expect(live.stdout + live.stderr).toMatch(
        new RegExp(`the log has no entry ${seq}, which the checkpoint signed .* covers: entries were deleted`),
      );
      // Once the log has grown past it, the newer bundle's own rows show the signed entry is gone.
      await writes(5);
      const grown = await exportAgain("after-growth.zip");
      const late = verify(grown, ["--fingerprint", realFingerprint(), "--previous", older], installation);
      expect(late.code, late.out).toBe(1);
      expect(late.out).toMatch(
        new RegExp(
          `links entry \\d+ straight to entry ${seq - 3}: entry ${seq}, which the previous bundle's checkpoint signed, is no longer in the log`,
        ),
      );
    });
  });
});
