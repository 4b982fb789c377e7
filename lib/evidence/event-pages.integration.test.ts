// The authentication events are read and written a page at a time on a worker thread (eventRows,
// rowText): hostile values across pages and batches must come out as the one CSV writer writes them,
// `npm run evidence:export` (the command and its worker bundled, as operators run it) must write the
// same bytes as the export the web server runs, and a failure on the worker fails the export with its reason.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPostgresAvailable, useTestDatabase, type TestDatabase } from "@/lib/testing/test-db";
import { db } from "@/lib/db/client";
import { seedDemo } from "@/prisma/seed";
import { exportEvidenceBundle } from "@/lib/evidence/export-bundle";
import { ingestAuthEvents } from "@/lib/events/ingest-events";
import { readZip } from "@/lib/testing/read-zip";
import { ROOT } from "@/lib/cli/run";
import { writeEventTable } from "@/lib/evidence/event-rows";
import { AUTH_EVENT_COLUMNS } from "@/lib/evidence/record-tables";
import { personActor } from "@/lib/testing/actors";

const HOSTILE = [
  '=HYPERLINK("http://evil")',
  "+61 2 5555 0000",
  "-1",
  "@SUM(A1)",
  "comma, inside",
  'a "quoted" word',
  " leading space",
  "\u00a0no-break space first",
  "Whānau Ora ✓ 数据 😀",
  "back\\slash",
];

for (const provider of ["sqlite", "postgres"] as const) {
  describe.runIf(provider === "sqlite" || (await isPostgresAvailable()))(`event pages on ${provider}`, () => {
    let database: TestDatabase;
    let dir: string;
    const year = String(new Date().getUTCFullYear());
    // Three batches (three receive times) over three pages of the export's reads (1,000 events each).
    const sizes = [1200, 900, 10];

    beforeAll(async () => {
      database = await useTestDatabase(provider);
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "apiledger-event-lines-"));
      process.env.APILEDGER_DATA_DIR = dir;
      await seedDemo();
      const owner = await personActor("owner@example.com");
      const api = await db.api.findFirstOrThrow({ where: { teamId: owner.kind === "user" ? owner.teamId! : "" } });
      const start = Math.max(Date.now() - 3 * 86_400_000, Date.UTC(Number(year), 0, 1));
      let n = 0;
      for (const size of sizes)
        await ingestAuthEvents(
          { actor: owner },
          Array.from({ length: size }, () => {
            const i = n++;
            return {
              time: new Date(start + i * 1000).toISOString(),
              api: api.id,
              clientId: HOSTILE[i % HOSTILE.length],
              principal: HOSTILE[(i + 3) % HOSTILE.length],
              outcome: i % 7 ? "success" : "authn_failure",
              sourceIp: i % 2 ? "10.0.0.1" : "2001:db8::1",
              method: "POST",
              route: `/v1/things/${i}?q=${HOSTILE[(i + 5) % HOSTILE.length]}`,
            };
          }),
        );
    }, 120_000);
    afterAll(async () => {
      await database?.drop();
    });

    it("the bundled command writes the same auth-events files as the server's export, hostile values defused", async () => {
      const inThread = path.join(dir, "in-process.zip");
      await exportEvidenceBundle(
        { actor: await personActor("auditor@example.com") },
        { period: year },
        fs.createWriteStream(inThread),
      );
      const bundled = path.join(dir, "bundled.zip");
      const run = spawnSync("npm", ["run", "--silent", "evidence:export", "--", "--period", year, "--out", bundled], {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: database.url, APILEDGER_DATA_DIR: dir },
        encoding: "utf8",
      });
      expect(run.status, run.stderr).toBe(0);

      const a = await readZip(inThread);
      const b = await readZip(bundled);
      for (const file of ["data/auth-events.csv", "data/auth-events.json"])
        expect(b.get(file)!.equals(a.get(file)!), file).toBe(true);

      const rows = JSON.parse(b.get("data/auth-events.json")!.toString("utf8")) as Record<string, string>[];
      expect(rows).toHaveLength(sizes.reduce((x, y) => x + y, 0));
      expect(new Set(rows.map((r) => r.clientId))).toEqual(new Set(HOSTILE));
      // Three batches, three receive times, each after its events.
      expect(new Set(rows.map((r) => r.receivedAt)).size).toBe(3);
      for (const r of rows) expect(r.receivedAt! >= r.at!).toBe(true);
      const csv = b.get("data/auth-events.csv")!.toString("utf8");
      expect(csv).toContain(`"'=HYPERLINK(""http://evil"")"`);
      expect(csv).toContain(",'@SUM(A1),");
      expect(csv).toContain(`,"comma, inside",`);
      expect(csv).toContain(`," leading space",`);
      expect(csv.split("\r\n")).toHaveLength(rows.length + 2);
    }, 180_000);

    it("a full scratch disk fails the events' thread with ENOSPC, promptly, rather than leaving it waiting", async () => {
      // /dev/full: every write fails with ENOSPC, as on a full temporary disk. The thread used to wait
      // for a "drain" that a failed file never gives, holding the export (and its snapshot) forever.
      const written = writeEventTable({
        url: database.url,
        from: `${year}-01-01T00:00:00.000Z`,
        to: `${Number(year) + 1}-01-01T00:00:00.000Z`,
        apiIds: null,
        columns: [...AUTH_EVENT_COLUMNS],
        csvFile: path.join(dir, "events.csv.deflated"),
        jsonFile: "/dev/full",
      });
      await expect(written.done).rejects.toThrow(/ENOSPC/);
      await written.stop();
    }, 30_000);
  });
}

describe("the events' worker thread", () => {
  it("rejects with the reason it failed (here, a database file that is gone), and stopping it is safe", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "apiledger-event-worker-"));
    const written = writeEventTable({
      url: `file:${path.join(dir, "gone.db")}`,
      from: "2026-01-01T00:00:00.000Z",
      to: "2027-01-01T00:00:00.000Z",
      apiIds: null,
      columns: ["eventId"],
      csvFile: path.join(dir, "events.csv.deflated"),
      jsonFile: path.join(dir, "events.json.deflated"),
    });
    await expect(written.done).rejects.toThrow(/unable to open database file/);
    await written.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }, 30_000);
});
