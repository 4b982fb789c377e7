// A write commits together with its audit entry or not at all — also when the process dies mid-write.
import { spawn } from "node:child_process";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase, type TestDatabase } from "@/lib/testing/test-db";
import { verifyAuditChain } from "@/lib/audit/verify";
import { db } from "@/lib/db/client";
import { sqlitePath } from "@/lib/db/db-url";
import { createTeam } from "@/lib/teams/create-team";
import { createApi } from "@/lib/apis/create-api";
import { EMPTY_API_INPUT } from "@/lib/apis/schemas";
import type { Actor } from "@/lib/authz/policy";

const SYSTEM: Actor = { kind: "system", id: null, email: "durability@test" };

function killMidWrite(url: string, afterMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "--conditions=react-server", "lib/testing/write-loop.ts"],
      {
        env: { ...process.env, DATABASE_URL: url },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let err = "";
    child.stderr.on("data", (d) => (err += d));
    child.stdout.on("data", (d: Buffer) => {
      if (d.toString().includes("ready")) setTimeout(() => child.kill("SIGKILL"), afterMs);
    });
    child.on("exit", (_code, signal) =>
      signal === "SIGKILL"
        ? resolve()
        : reject(new Error(`write loop (kill after ${afterMs} ms) exited on its own: ${err}`)),
    );
  });
}

describe("durability on SQLite", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await useTestDatabase("sqlite");
  });
  afterAll(async () => database?.drop());

  it("runs in WAL mode with foreign keys on", async () => {
    await killMidWrite(database.url, 50);
    const file = new Database(sqlitePath(database.url));
    expect(file.pragma("journal_mode", { simple: true })).toBe("wal");
    file.close();
    // foreign keys: an API pointing at a missing team cannot exist
    const orphans = await db.$queryRawUnsafe<{ n: bigint }[]>(
      `SELECT count(*) AS n FROM Api a LEFT JOIN Team t ON t.id = a.teamId WHERE t.id IS NULL`,
    );
    expect(orphans[0]!.n).toBe(0n);
  });

  it("two processes writing to one file take turns: none of their writes fails", async () => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "--conditions=react-server", "lib/testing/write-loop.ts"],
      { env: { ...process.env, DATABASE_URL: database.url }, stdio: ["ignore", "pipe", "pipe"] },
    );
    let err = "";
    child.stderr.on("data", (d) => (err += d));
    await new Promise<void>((resolve) =>
      child.stdout.on("data", (d: Buffer) => d.toString().includes("ready") && resolve()),
    );
    const { id: teamId } = await createTeam({ actor: SYSTEM }, { name: "Beside the loop", description: "" });
    try {
      // Each write reads (the team, the chain's end) before it writes, while the other process commits.
      for (let i = 0; i < 60; i++)
        await createApi({ actor: SYSTEM }, { ...EMPTY_API_INPUT, name: `Beside ${i}`, purpose: "two writers", teamId });
    } finally {
      child.kill("SIGKILL");
    }
    expect(err).not.toMatch(/Error/);
    expect(await db.api.count({ where: { teamId } })).toBe(60);
    expect((await verifyAuditChain()).ok).toBe(true);
  });

  it("after repeated SIGKILLs mid-write, every row has its audit entry and the chain is intact", async () => {
    for (const delay of [37, 111, 263, 401]) await killMidWrite(database.url, delay);
    const file = new Database(sqlitePath(database.url));
    expect(file.pragma("integrity_check", { simple: true })).toBe("ok");
    file.close();
    const apis = await db.api.findMany({ select: { id: true } });
    const created = await db.auditEntry.findMany({ where: { action: "api.create" }, select: { targetId: true } });
    expect(apis.length).toBeGreaterThan(10);
    expect(new Set(created.map((c) => c.targetId))).toEqual(new Set(apis.map((a) => a.id)));
    const chain = await verifyAuditChain();
    expect(chain.ok).toBe(true);
  });
});
