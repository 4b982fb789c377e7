// Pen-test hardening items against a started server, on both databases: the download paths keep the
// sandboxing CSP, a cross-site server-action POST is 403 (also without Origin), and a sign-in whose
// e-mail holds NUL or a lone surrogate is a recorded failed sign-in that never shows a driver's error.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type StartedApp } from "@/lib/testing/app-server";
import { AppSession } from "@/lib/testing/app-client";
import { db, disconnectDb } from "@/lib/db/client";
import { isPostgresAvailable } from "@/lib/testing/test-db";
import { DATA_RESPONSE_CSP } from "@/lib/http/security-headers";
import { DEMO_PASSWORD } from "@/prisma/demo-data";

for (const [provider, port] of [
  ["sqlite", 3174],
  ["postgres", 3175],
] as const) {
  describe.runIf(provider === "sqlite" || (await isPostgresAvailable()))(`hardening on ${provider}`, () => {
    let app: StartedApp;
    beforeAll(async () => {
      app = await startAppServer({ provider, port, env: { APILEDGER_ADDRESS_RATE_PER_MINUTE: "60" } });
      await disconnectDb();
      process.env.DATABASE_URL = app.databaseUrl;
      process.env.APILEDGER_DATA_DIR = app.dataDir;
    }, 900_000);
    afterAll(async () => {
      await disconnectDb();
      await app?.stop();
    });

    it("download and data paths answer with the sandbox policy, not the page policy", async () => {
      const session = new AppSession(app.url);
      await session.signIn("auditor@example.com", DEMO_PASSWORD);
      expect(session.isSignedIn()).toBe(true);
      for (const path of [
        "/api/documents/versions/nope/file",
        "/api/apis/export",
        "/api/v1/evidence/exports/nope/bundle",
      ]) {
        const response = await fetch(`${app.url}${path}`, { headers: { cookie: session.cookieHeader() } });
        await response.text();
        expect(response.headers.get("content-security-policy"), path).toBe(DATA_RESPONSE_CSP);
        expect(response.headers.get("cache-control"), path).toMatch(/no-store/);
      }
      // Pages keep the nonce policy.
      const page = await fetch(`${app.url}/login`);
      expect(page.headers.get("content-security-policy")).toMatch(/nonce-/);
    });

    it("a cross-site server-action POST gets 403, with or without Origin", async () => {
      const attempts: Record<string, string>[] = [
        { "sec-fetch-site": "cross-site" },
        { origin: "https://evil.example" },
        { origin: "https://evil.example", "sec-fetch-site": "cross-site" },
      ];
      for (const headers of attempts) {
        const response = await fetch(`${app.url}/`, {
          method: "POST",
          headers: { "next-action": "0".repeat(42), "content-type": "text/plain;charset=UTF-8", ...headers },
          body: "[]",
        });
        expect(response.status, JSON.stringify(headers)).toBe(403);
        expect(await response.text()).toMatch(/Cross-site request refused/);
      }
    });

    it("an e-mail with NUL or a lone surrogate is a recorded failed sign-in, and no database error text reaches the caller", async () => {
      for (const email of ["admin\u0000@example.com", "admin@example.com\uD800"]) {
        const session = new AppSession(app.url);
        const response = await session.signIn(email, "whatever-password");
        const shown = `${response.status} ${response.headers.get("location") ?? ""} ${await response.text()}`;
        expect(session.isSignedIn()).toBe(false);
        expect(shown).not.toMatch(/prisma|invalid byte sequence|0x00|22021|PrismaClient|driver|encoding/i);
        expect(shown).toMatch(/CredentialsSignin/);
      }
      // A form body is UTF-8, which cannot carry a lone surrogate: it arrives as U+FFFD (an unknown account).
      // The lone surrogate itself is refused by the service (lib/auth/failure-flood.integration.test.ts).
      const rows = await db.signInEvent.findMany({ where: { reason: "invalid e-mail" } });
      expect(rows.reduce((n, r) => n + r.count, 0)).toBe(1);
      expect(rows.every((r) => r.email === "admin@example.com")).toBe(true);
    });

    it("an unauthenticated flood from one address gets 429 with Retry-After before authentication, REST and sign-in alike", async () => {
      const before = await db.signInEvent.count();
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      // The address's minute (60 requests) may have begun in an earlier test and end during this one, so
      // the flood goes on until ten in a row are refused, as they are once the minute's count is spent.
      let refusedInARow = 0;
      for (let i = 0; i < 200 && refusedInARow < 10; i++) {
        const response = await fetch(`${app.url}/api/v1/apis`, { headers: { authorization: `Bearer flood-${i}` } });
        await response.text();
        statuses.push(response.status);
        if (response.status === 429) retryAfter ??= response.headers.get("retry-after");
        refusedInARow = response.status === 429 ? refusedInARow + 1 : 0;
      }
      expect(statuses).toContain(401);
      expect(refusedInARow, statuses.join(",")).toBe(10);
      expect(statuses.every((s) => s === 429 || s === 401)).toBe(true);
      expect(Number(retryAfter)).toBeGreaterThan(0);
      // Sign-in shares the address's count: back-to-back attempts are refused with Retry-After (one may
      // get through should the address's minute end between the flood and them).
      const signIns: Response[] = [];
      for (let i = 0; i < 4; i++) {
        const signIn = await fetch(`${app.url}/api/auth/callback/credentials`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: "email=a%40b.c&password=x",
          redirect: "manual",
        });
        await signIn.text();
        signIns.push(signIn);
      }
      const refused = signIns.filter((r) => r.status === 429);
      expect(refused.length, signIns.map((r) => r.status).join(",")).toBeGreaterThanOrEqual(3);
      expect(refused[0]!.headers.get("retry-after")).toMatch(/^\d+$/);
      // The refused tokens that were looked at share a row or two (one reason, one minute or two).
      expect((await db.signInEvent.count()) - before).toBeLessThanOrEqual(2);
    });
  });
}
