import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPostgresAvailable, useTestDatabase, type TestDatabase } from "@/lib/testing/test-db";
import { db } from "@/lib/db/client";
import { seedDemo } from "@/prisma/seed";
import { authenticate } from "@/lib/rest/authenticate";
import { attemptPasswordSignIn } from "@/lib/auth/sign-in";
import { getSignInAlerts } from "@/lib/dashboard/queries";
import { verifyAuditChain } from "@/lib/audit/verify";
import { generateTokenSecret } from "@/lib/tokens/token-secret";
import { fromAddress } from "@/lib/testing/source-headers";

// The attack of pen-test item 6: a flood of refused tokens from one address. Before, every try wrote a
// SignInEvent and an audit entry; now one row per address, reason and minute carries the count.
const from = (address: string, secret: string) =>
  new Request("http://localhost/api/v1/apis", {
    headers: { authorization: `Bearer ${secret}`, ...fromAddress(address), "user-agent": "flood\u0007bot" },
  });

for (const provider of ["sqlite", "postgres"] as const) {
  describe.runIf(provider === "sqlite" || (await isPostgresAvailable()))(
    `failed authentications on ${provider}`,
    () => {
      let database: TestDatabase;
      beforeAll(async () => {
        database = await useTestDatabase(provider);
        await seedDemo();
      });
      afterAll(async () => database?.drop());

      it("a flood of 2,000 bad tokens from one address adds a handful of rows; the alert still counts 2,000; the chain verifies", async () => {
        const [audit0, events0, alerts0] = [
          await db.auditEntry.count(),
          await db.signInEvent.count(),
          (await getSignInAlerts()).total,
        ];
        const started = Date.now();
        for (let i = 0; i < 2000; i++) {
          // half malformed, half well-formed but unknown (each of those costs a lookup)
          const secret = i % 2 ? `not-a-token-${i}` : generateTokenSecret();
          await expect(authenticate(from("198.51.100.66", secret))).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
        }
        const seconds = (Date.now() - started) / 1000;
        const [audit1, events1, alerts1] = [
          await db.auditEntry.count(),
          await db.signInEvent.count(),
          (await getSignInAlerts()).total,
        ];
        console.log(
          `${provider}: 2000 refused tokens in ${seconds.toFixed(1)} s → +${audit1 - audit0} audit entries, +${events1 - events0} sign-in events; alert total +${alerts1 - alerts0}`,
        );
        // Two reasons; a minute boundary during the run can split each window once or twice.
        expect(audit1 - audit0).toBeLessThanOrEqual(6);
        expect(
          new Set((await db.signInEvent.findMany({ where: { ip: "198.51.100.66" } })).map((r) => r.reason)),
        ).toEqual(new Set(["malformed token", "unknown token"]));
        expect(events1 - events0).toBeLessThanOrEqual(6);
        expect(alerts1 - alerts0).toBe(2000);
        const rows = await db.signInEvent.findMany({ where: { ip: "198.51.100.66" } });
        expect(rows.reduce((n, r) => n + r.count, 0)).toBe(2000);
        expect(rows.every((r) => r.userAgent === "floodbot")).toBe(true);
        // Another address is its own window.
        await expect(authenticate(from("198.51.100.67", "nope"))).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
        expect(await db.signInEvent.count({ where: { ip: "198.51.100.67" } })).toBe(1);
        expect((await verifyAuditChain()).ok).toBe(true);
      });

      it("refuses an e-mail with NUL or a lone surrogate as a failed sign-in before any query, recorded storably", async () => {
        const meta = { ip: "198.51.100.70", userAgent: "agent\u0000\uD800x" };
        for (const email of ["admin\u0000@example.com", "admin@example.com\uD800", "\uDC00admin@example.com"]) {
          expect(await attemptPasswordSignIn(email, "whatever", meta)).toBeNull();
        }
        const rows = await db.signInEvent.findMany({ where: { ip: "198.51.100.70" } });
        // One row per address, reason and minute: a minute boundary during the three tries splits it once.
        expect(rows.length).toBeLessThanOrEqual(2);
        for (const r of rows)
          expect([r.reason, r.email, r.userAgent]).toEqual(["invalid e-mail", "admin@example.com", "agentx"]);
        expect(rows.reduce((n, r) => n + r.count, 0)).toBe(3);
        expect(
          await db.auditEntry.count({
            where: { action: "auth.sign-in-failed", summary: { contains: "(invalid e-mail)" } },
          }),
        ).toBe(rows.length);
        // The account itself was never touched (no failure counted against the real admin).
        expect((await db.user.findUniqueOrThrow({ where: { email: "admin@example.com" } })).failedSignIns).toBe(0);
        expect((await verifyAuditChain()).ok).toBe(true);
      });
    },
  );
}
