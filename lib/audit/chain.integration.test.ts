// The hash covers exactly what is stored: hostile text written through authorizedWrite (lone
// surrogates, NUL, controls) is stored the same on SQLite and PostgreSQL and the chain still verifies,
// and every stored entry of a realistic workload re-hashes, from its stored columns, to its stored hash.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPostgresAvailable, useTestDatabase, type TestDatabase } from "@/lib/testing/test-db";
import { db } from "@/lib/db/client";
import { seedDemo } from "@/prisma/seed";
import { authorizedWrite, nothingToWrite } from "@/lib/audit/authorized-write";
import { entryHash, storableText } from "@/lib/audit/chain";
import { verifyAuditChain } from "@/lib/audit/verify";
import { openCampaign } from "@/lib/reviews/open-campaign";
import { ingestAuthEvents } from "@/lib/events/ingest-events";
import { reportIncident } from "@/lib/incidents/report-incident";
import { personActor } from "@/lib/testing/actors";

const HOSTILE = [
  "lone \ud800 high",
  "\udc00 lone low",
  "nul \u0000 inside",
  "pair 😀 \ud83d end",
  "\u202e override",
  "\u0007 bell\r\n\t",
  '=HYPERLINK("x")',
  "x".repeat(10_000),
];

for (const provider of ["sqlite", "postgres"] as const) {
  describe.runIf(provider === "sqlite" || (await isPostgresAvailable()))(
    `audit chain over stored bytes on ${provider}`,
    () => {
      let database: TestDatabase;
      beforeAll(async () => {
        database = await useTestDatabase(provider);
        // A realistic workload: the demo organisation, a review campaign, gateway events, an incident.
        await seedDemo();
        const [admin, owner] = [await personActor("admin@example.com"), await personActor("owner@example.com")];
        const now = new Date();
        await openCampaign(
          { actor: admin, ip: "10.1.1.1" },
          { quarter: `${now.getUTCFullYear()}-Q${Math.floor(now.getUTCMonth() / 3) + 1}`, extraApiIds: [] },
        );
        const api = await db.api.findFirstOrThrow({ where: { deletedAt: null }, orderBy: { name: "asc" } });
        await ingestAuthEvents(
          { actor: admin },
          Array.from({ length: 20 }, (_, i) => ({
            time: new Date(now.getTime() - i * 1000).toISOString(),
            api: api.id,
            clientId: "c",
            outcome: "authn_failure",
            sourceIp: "10.0.0.9",
          })),
        );
        const minute = (ago: number) => new Date(now.getTime() - ago * 60_000).toISOString().slice(0, 16);
        await reportIncident(
          { actor: owner },
          {
            title: "Key leaked — “quoted” ünïcödé",
            type: "CREDENTIAL_COMPROMISE",
            severity: "HIGH",
            detectedAt: minute(30),
            reportedAt: minute(20),
            reportedBy: "SOC",
            description: "Zeilen\nmit Umbruch",
            apiIds: [api.id],
            affectedClients: "c",
            rootCause: "",
            lessonsLearned: "",
          },
        );
      });
      afterAll(async () => database?.drop());

      it("a write that finds nothing left to change returns its answer with nothing written and no entry", async () => {
        const entriesBefore = await db.auditEntry.count();
        const notificationsBefore = await db.notification.count();
        const user = await db.user.findFirstOrThrow();
        const answer = await authorizedWrite(
          { actor: { kind: "system", id: null, email: "test@apiledger" } },
          { permission: "notification:deliver" },
          async (tx) => {
            // Written first, then given up: the rollback takes it back.
            await tx.notification.create({
              data: { userId: user.id, kind: "test", text: "given up", dedupeKey: "given-up" },
            });
            return nothingToWrite("nothing left");
          },
        );
        expect(answer).toBe("nothing left");
        expect(await db.notification.count()).toBe(notificationsBefore);
        expect(await db.auditEntry.count()).toBe(entriesBefore);
      });

      it("stores hostile text in every field through authorizedWrite, and audit:verify passes", async () => {
        for (const text of HOSTILE) {
          const actor = { kind: "system" as const, id: null, email: `attacker${text}@example.com` };
          await authorizedWrite(
            { actor, ip: `10.0.0.1${text}` },
            { permission: "evidence:export" },
            async (_tx, audit) => {
              await audit({
                action: "test.hostile",
                targetType: "test",
                targetId: `id${text}`,
                summary: `summary ${text}`,
                details: { [`key${text}`]: text, nested: [text, { text }] },
              });
            },
          );
        }
        const stored = await db.auditEntry.findMany({ where: { action: "test.hostile" }, orderBy: { seq: "asc" } });
        expect(stored).toHaveLength(HOSTILE.length);
        for (const [i, entry] of stored.entries()) {
          const text = HOSTILE[i]!;
          expect([entry.summary, entry.actorEmail, entry.targetId, entry.ip]).toEqual(
            [`summary ${text}`, `attacker${text}@example.com`, `id${text}`, `10.0.0.1${text}`].map(storableText),
          );
          // Details are JSON, which escapes lone surrogates and NUL: the original text comes back exactly.
          expect(JSON.parse(entry.diff)).toEqual({ [`key${text}`]: text, nested: [text, { text }] });
        }
        expect(stored[0]!.summary).toBe("summary lone \uFFFD high");
        expect(stored[2]!.summary).toBe("summary nul \uFFFD inside");
        const report = await verifyAuditChain();
        expect(report).toMatchObject({ ok: true, brokenCount: 0 });
        const cli = spawnSync(
          process.execPath,
          ["--import", "tsx", "--conditions=react-server", "lib/cli/audit-verify.ts"],
          {
            env: {
              ...process.env,
              DATABASE_URL: database.url,
              APILEDGER_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), "apiledger-chain-")),
            },
            encoding: "utf8",
          },
        );
        expect(cli.stdout + cli.stderr).toMatch(/Audit log intact/);
        expect(cli.status).toBe(0);
      });

      it("re-reads every stored entry and recomputes its hash from the stored columns", async () => {
        // Read with plain SQL, not through the client that wrote them: these are the columns as stored.
        const rows = await db.$queryRawUnsafe<
          {
            seq: number | bigint;
            at: Date | string;
            actorId: string | null;
            actorEmail: string;
            action: string;
            targetType: string;
            targetId: string;
            summary: string;
            diff: string;
            ip: string;
            prevHash: string;
            hash: string;
          }[]
        >(
          `SELECT "seq", "at", "actorId", "actorEmail", "action", "targetType", "targetId", "summary", "diff", "ip", "prevHash", "hash" FROM "AuditEntry" ORDER BY "seq"`,
        );
        expect(rows.length).toBeGreaterThan(HOSTILE.length + 80);
        expect(new Set(rows.map((r) => r.action)).size).toBeGreaterThan(8);
        for (const { seq: _seq, hash, at, ...columns } of rows) {
          // SQLite keeps Prisma's dates as ISO text ending "+00:00"; PostgreSQL returns a Date.
          const when = at instanceof Date ? at : new Date(at.replace("+00:00", "Z"));
          expect(entryHash({ ...columns, at: when })).toBe(hash);
        }
      });
    },
  );
}
