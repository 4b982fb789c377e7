// An Idempotency-Key is claimed by inserting its record at the start of the write (issue 18): a retry that
// arrives while the first request is still running must wait for it and replay its answer — never answer
// with the half-written record, never run the write twice.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPostgresAvailable, useTestDatabase, type TestDatabase } from "@/lib/testing/test-db";
import { IdempotentReplay, authorizedWrite, idempotentResult } from "@/lib/audit/authorized-write";
import { db } from "@/lib/db/client";

const SYSTEM = { kind: "system" as const, id: null, email: "test@apiledger" };

for (const provider of ["sqlite", "postgres"] as const) {
  describe.runIf(provider === "sqlite" || (await isPostgresAvailable()))(`idempotency keys on ${provider}`, () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await useTestDatabase(provider);
    });
    afterAll(async () => database?.drop());

    it("a retry sent while the first request runs sees no answer yet, then replays the first one's", async () => {
      const idempotency = {
        principal: "token:t1",
        key: "k-1",
        method: "POST",
        route: "/api/v1/teams",
        requestHash: "h",
      };
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let ran = 0;
      const write = () =>
        authorizedWrite({ actor: SYSTEM, idempotency }, { permission: "team:manage" }, async (tx, audit) => {
          ran++;
          await held;
          const team = await tx.team.create({ data: { name: `Team ${ran}` } });
          await audit({ action: "team.create", targetType: "team", targetId: team.id, after: team });
          return { id: team.id };
        });
      const first = write();
      // The first request is inside its write, its key claimed but not answered.
      while (!ran) await new Promise((r) => setTimeout(r, 10));
      expect(await idempotentResult(db, idempotency)).toBeNull();
      const retry = write().then(
        () => "ran again",
        (e: unknown) => (e instanceof IdempotentReplay ? JSON.parse(e.result) : e),
      );
      await new Promise((r) => setTimeout(r, 100));
      release();
      const answer = await first;
      expect(await retry).toEqual(answer);
      expect(ran).toBe(1);
      expect(await db.team.count()).toBe(1);
      expect(await idempotentResult(db, idempotency)).toBe(JSON.stringify(answer));
    });
  });
}
