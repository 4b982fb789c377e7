// Bulk inserts store exactly the values given, whichever path carries them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPostgresAvailable, useTestDatabase, type TestDatabase } from "@/lib/testing/test-db";
import { authorizedWrite } from "@/lib/audit/authorized-write";
import { bulkInsertColumns, insertJsonRecords } from "@/lib/audit/bulk-insert";
// The columns the event ingest writes, in its order.
import { EVENT_COLUMNS as COLUMNS } from "@/lib/events/ingest-events";
import { db, dbProvider, transactionConnection } from "@/lib/db/client";

const SYSTEM = { kind: "system" as const, id: null, email: "test@apiledger" };
// Values a gateway may well send: separators of COPY's text format, backslashes, non-ASCII, empty text.
const tricky = (id: string) => [
  id,
  "2026-11-22T09:30:00.123Z",
  "api-1",
  "tab\there",
  "line\nbreak\r\n",
  "back\\slash \\N",
  "success",
  "",
  "/v1/é✓/\\t",
];

for (const provider of ["sqlite", "postgres"] as const) {
  describe.runIf(provider === "sqlite" || (await isPostgresAvailable()))(`bulk insert on ${provider}`, () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await useTestDatabase(provider);
    });
    afterAll(async () => database?.drop());

    it("stores text with tabs, newlines and backslashes, and UTC times, exactly as given", async () => {
      await authorizedWrite({ actor: SYSTEM }, { permission: "event:ingest" }, async (tx, audit) => {
        await bulkInsertColumns(tx, dbProvider(), "AuthEvent", COLUMNS, [tricky("a1"), tricky("a2")]);
        // The fallback for PostgreSQL behind a pooler (no COPY) stores the same.
        if (provider === "postgres") await insertJsonRecords(tx, "AuthEvent", COLUMNS, [tricky("b1")]);
        await audit({ action: "test.bulk", targetType: "auth-events", targetId: "-" });
      });
      const rows = await db.authEvent.findMany({ orderBy: { id: "asc" } });
      expect(
        rows.map((r) => [
          r.id,
          r.at.toISOString(),
          r.apiId,
          r.clientId,
          r.principal,
          r.outcome,
          r.sourceIp,
          r.method,
          r.route,
        ]),
      ).toEqual((provider === "postgres" ? ["a1", "a2", "b1"] : ["a1", "a2"]).map(tricky));
    });

    it.runIf(provider === "postgres")(
      "reaches the transaction's own connection for COPY, which rolls back with it",
      async () => {
        const before = await db.authEvent.count();
        await expect(
          authorizedWrite({ actor: SYSTEM }, { permission: "event:ingest" }, async (tx) => {
            const connection = await transactionConnection(tx);
            expect(connection).not.toBeNull();
            const [own] = await tx.$queryRawUnsafe<{ pid: number }[]>("SELECT pg_backend_pid() AS pid");
            expect((await connection!.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]!.pid).toBe(
              own!.pid,
            );
            await bulkInsertColumns(tx, "postgres", "AuthEvent", COLUMNS, [tricky("c1")]);
            throw new Error("changed my mind");
          }),
        ).rejects.toThrow("changed my mind");
        expect(await db.authEvent.count()).toBe(before);
      },
    );
  });
}
