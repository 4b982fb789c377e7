// The write-ahead log is copied back into the database file by a background thread, not by the writer.
import fs from "node:fs";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase, type TestDatabase } from "@/lib/testing/test-db";
import { db, sqliteCheckpointCaughtUp } from "@/lib/db/client";
import { sqlitePath } from "@/lib/db/db-url";
import { ingestAuthEvents } from "@/lib/events/ingest-events";
import { seedDemo } from "@/prisma/seed";

describe("WAL checkpoints on SQLite", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await useTestDatabase("sqlite");
    await seedDemo();
  });
  afterAll(async () => database?.drop());

  it("happen on a background thread while the server writes, so the log stays a fraction of what was written", async () => {
    const u = await db.user.findUniqueOrThrow({ where: { email: "admin@example.com" } });
    const admin = { kind: "user" as const, id: u.id, email: u.email, role: "ADMIN" as const, teamId: u.teamId };
    const api = (await db.api.findFirstOrThrow({ where: { deletedAt: null } })).id;
    const file = sqlitePath(database.url);
    // The seed left its own writes in the log; start from an empty one, so the peak is this test's.
    const direct = new Database(file);
    direct.pragma("wal_checkpoint(TRUNCATE)");
    direct.close();
    const before = fs.statSync(file).size;
    let walPeak = 0;
    for (let b = 0; b < 8; b++) {
      const time = new Date(Date.now() - 60_000).toISOString();
      await ingestAuthEvents(
        { actor: admin },
        Array.from({ length: 5000 }, (_, i) => ({
          time,
          api,
          clientId: `client-${i % 50}`,
          principal: `user-${b}-${i}`,
          outcome: "success",
          sourceIp: "10.0.0.1",
          method: "GET",
          route: `/v1/items/${i}`,
        })),
      );
      walPeak = Math.max(walPeak, fs.statSync(`${file}-wal`).size);
      // Waited for, not slept on: with other suites loading both cores, a fixed pause let the next
      // batch start before the thread had finished, and the log then grew on.
      await sqliteCheckpointCaughtUp();
    }
    const grown = fs.statSync(file).size - before;
    // The writer's own threshold (200 MB of log) was never reached, so only the background thread can
    // have copied the 40,000 events into the database file; and because it catches up between batches,
    // the log is reused from its start instead of growing with every batch.
    expect(grown).toBeGreaterThan(4 * 2 ** 20);
    expect(walPeak).toBeLessThan(grown / 2);
  });
});
