// Observed versus granted (issue 17), on SQLite and PostgreSQL: every batch of events keeps one row per
// API and caller up to date, and each grant is judged by it — unused, write access never used, called
// after its credential expired — beside the callers that are no grant at all.
import { createHash } from "node:crypto";
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPostgresAvailable, useTestDatabase, type TestDatabase } from "@/lib/testing/test-db";
import { db } from "@/lib/db/client";
import { seedDemo } from "@/prisma/seed";
import type { Actor } from "@/lib/authz/policy";
import { signedInActor } from "@/lib/testing/actors";
import { asDatabaseAdmin } from "@/lib/testing/dba";
import { ingestAuthEvents } from "@/lib/events/ingest-events";
import { observedAccess } from "@/lib/observed/queries";
import { getTrafficStates, TRAFFIC_STATES_SHOWN } from "@/lib/observed/api-states";
import { listApis } from "@/lib/apis/queries";
import { parseListParams } from "@/lib/apis/list-params";
import { getAttention } from "@/lib/dashboard/attention";
import { observedAccessTable } from "@/lib/evidence/observed-tables";
import { openCampaign } from "@/lib/reviews/open-campaign";
import { saveReview, startReview } from "@/lib/reviews/save-review";
import { signOffReview } from "@/lib/reviews/sign-off-review";
import { CHECKLIST_ITEMS } from "@/lib/reviews/schemas";
import { getReview } from "@/lib/reviews/queries";

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();

for (const provider of ["sqlite", "postgres"] as const) {
  describe.runIf(provider === "sqlite" || (await isPostgresAvailable()))(
    `observed versus granted on ${provider}`,
    () => {
      let database: TestDatabase;
      let owner: Actor, auditor: Actor;
      let ledger: string;

      beforeAll(async () => {
        database = await useTestDatabase(provider);
        await seedDemo();
        owner = await signedInActor("owner@example.com");
        auditor = await signedInActor("auditor@example.com");
        ledger = (await db.api.findFirstOrThrow({ where: { name: "Payments Ledger API" } })).id;
        const event = (clientId: string, time: string, method: string, outcome = "success") => ({
          time,
          api: ledger,
          clientId,
          outcome,
          method,
          route: "/v1/entries",
        });
        // Two batches: what the second adds is merged into what the first kept.
        await ingestAuthEvents({ actor: owner }, [
          event("finance-reporting", daysAgo(120), "GET"),
          event("gl-reconciliation", daysAgo(100), "GET"),
          event("shadow-client", daysAgo(3), "GET", "authn_failure"),
        ]);
        await ingestAuthEvents({ actor: owner }, [
          event("gl-reconciliation", daysAgo(5), "GET"),
          event("gl-reconciliation", daysAgo(4), "HEAD"),
          event("legacy-batch", daysAgo(5), "POST"),
          event("shadow-client", daysAgo(2), "GET"),
          event("shadow-client", daysAgo(1), "DELETE", "authz_denied"),
          event("", daysAgo(1), ""),
        ]);
      });
      afterAll(async () => database?.drop());

      /** The evidence bundle's observed-access rows of the ledger for a period. */
      async function periodRows(from: string, to: string): Promise<Record<string, unknown>[]> {
        const table = observedAccessTable({
          scope: {
            period: "test",
            from: new Date(from),
            to: new Date(to),
            controls: [],
            teamIds: [],
            apiIds: [ledger],
          },
          now: new Date(),
          apiIds: [ledger],
          people: new Map(),
          auditHead: null,
        });
        if (!("rows" in table)) throw new Error("a rows table");
        const rows: Record<string, unknown>[] = [];
        for await (const r of table.rows()) rows.push(r as Record<string, unknown>);
        return rows;
      }

      it("keeps one row per API and caller: first and last seen, reads, writes and failures", async () => {
        const rows = await db.observedAccess.findMany({ where: { apiId: ledger }, orderBy: { clientId: "asc" } });
        expect(
          rows.map((r) => [r.clientId, Number(r.calls), Number(r.reads), Number(r.writes), Number(r.failures)]),
        ).toEqual([
          ["", 1, 0, 0, 0],
          ["finance-reporting", 1, 1, 0, 0],
          ["gl-reconciliation", 3, 3, 0, 0],
          ["legacy-batch", 1, 0, 1, 0],
          ["shadow-client", 3, 2, 1, 2],
        ]);
        const shadow = rows.find((r) => r.clientId === "shadow-client")!;
        expect(shadow.firstAt.toISOString().slice(0, 10)).toBe(daysAgo(3).slice(0, 10));
        expect(shadow.lastAt.toISOString().slice(0, 10)).toBe(daysAgo(1).slice(0, 10));
        // The last call that got in, not the last call: the DELETE a day ago was refused.
        expect(shadow.lastSuccessAt?.toISOString().slice(0, 10)).toBe(daysAgo(2).slice(0, 10));
        expect(shadow.lastWriteAt).toBeNull();
      });

      it("judges each grant by the traffic and suggests a decision; callers that are no grant are listed", async () => {
        const view = await observedAccess(auditor, ledger);
        const flags = Object.fromEntries(
          view.rows.map((r) => [r.clientId, r.flags.map((f) => `${f.kind}: ${f.suggestion}`)]),
        );
        expect(flags).toEqual({
          "finance-reporting": ["UNUSED: Suggest revoking it."],
          "gl-reconciliation": ["WRITE_UNUSED: Suggest read-only access."],
          "legacy-batch": [
            "CALLED_AFTER_EXPIRY: Revoke the credential at the gateway and find out how it still works.",
          ],
          "shadow-client": ["UNKNOWN_CALLER: Register it as a client, or block it at the gateway."],
        });
        expect(view.rows.find((r) => r.clientId === "finance-reporting")!.flags[0]!.message).toBe(
          `No successful call in 120 days (last ${daysAgo(120).slice(0, 10)}).`,
        );
        expect(view.rows.find((r) => r.clientId === "shadow-client")!.grant).toBeNull();
        expect(view.anonymous).toMatchObject({ calls: 1 });
        expect(view.observedSince?.slice(0, 10)).toBe(daysAgo(120).slice(0, 10));
        expect(view.state).toBeNull();
      });

      it("the quarterly review shows each frozen grant's traffic flags and the callers that are no grant", async () => {
        const admin = await signedInActor("admin@example.com");
        const manager = await signedInActor("manager@example.com");
        await openCampaign({ actor: admin }, { quarter: "2026-Q4", extraApiIds: [] });
        const review = await db.review.findFirstOrThrow({ where: { apiId: ledger } });
        await startReview({ actor: manager }, review.id);
        const detail = (await getReview(manager, review.id))!;
        const byName = Object.fromEntries(
          detail.snapshot.map((c) => [c.name, detail.observed.grants[c.id]!.map((f) => f.kind)]),
        );
        expect(byName).toEqual({
          "finance-reporting": ["UNUSED"],
          "gl-reconciliation": ["WRITE_UNUSED"],
          "legacy-batch": ["CALLED_AFTER_EXPIRY"],
        });
        // Judged from the traffic up to its newest event: the same answer on every read until more arrives.
        expect(detail.observed.lastEventAt?.slice(0, 10)).toBe(daysAgo(1).slice(0, 10));
        expect((await getReview(manager, review.id))!.observed).toEqual(detail.observed);
        expect(detail.observed.unknownCallers).toEqual([
          expect.objectContaining({
            clientId: "shadow-client",
            calls: 3,
            flag: expect.objectContaining({ kind: "UNKNOWN_CALLER" }),
          }),
        ]);
        // A token that may read reviews but not events gets the review without the traffic.
        const reader = { ...manager, token: { id: "t", scopes: ["reviews:read" as const], teamId: null } };
        expect((await getReview(reader, review.id))!.observed).toEqual({
          lastEventAt: null,
          grants: expect.any(Object),
          unknownCallers: [],
        });
      });

      it("an API without traffic judges nothing: silence proves nothing without a gateway", async () => {
        const quiet = await db.api.findFirstOrThrow({ where: { name: "Bank File Gateway" } });
        const view = await observedAccess(auditor, quiet.id);
        expect(view.observedSince).toBeNull();
        expect(view.rows.every((r) => r.flags.length === 0)).toBe(true);
      });

      it("zombie APIs (deprecated or retired, still called) and unused ones (active, quiet) reach the dashboard", async () => {
        const [retiring, quiet] = await db.api.findMany({
          where: { deletedAt: null, lifecycle: "ACTIVE", id: { not: ledger } },
          orderBy: { name: "asc" },
          take: 2,
        });
        await asDatabaseAdmin(
          database,
          ['UPDATE "Api" SET "lifecycle" = ? WHERE "id" = ?'],
          [["DEPRECATED", retiring!.id]],
        );
        const call = (api: string, time: string) => ({ time, api, clientId: "c", outcome: "success", method: "GET" });
        await ingestAuthEvents({ actor: await signedInActor("admin@example.com") }, [
          call(retiring!.id, daysAgo(2)),
          call(quiet!.id, daysAgo(45)),
        ]);
        const admin = await signedInActor("admin@example.com");
        const states = await getTrafficStates(admin);
        expect(states.zombies.map((a) => a.name)).toEqual([retiring!.name]);
        expect(states.unused.map((a) => a.name)).toEqual([quiet!.name]);
        expect((await observedAccess(admin, retiring!.id)).state).toBe("ZOMBIE");
        const attention = await getAttention(admin);
        expect(attention.find((i) => i.key === "zombie-apis")).toMatchObject({ count: 1, href: "#traffic-h" });
        // A system owner sees only their own APIs' states.
        const owner = await signedInActor("owner@example.com");
        const own = await getTrafficStates(owner);
        const owned = new Set(
          (await db.api.findMany({ where: { ownerId: owner.id }, select: { name: true } })).map((a) => a.name),
        );
        expect([...own.zombies, ...own.unused].every((a) => owned.has(a.name))).toBe(true);

        // A late event, older than the last call, does not make the zombie look quiet again.
        await ingestAuthEvents({ actor: admin }, [call(retiring!.id, daysAgo(60))]);
        expect((await getTrafficStates(admin)).zombieCount).toBe(1);
        // Past the ten named, the rest are counted: twelve more quiet APIs.
        const more = await db.api.findMany({
          where: { deletedAt: null, lifecycle: "ACTIVE", id: { notIn: [ledger, retiring!.id, quiet!.id] } },
          orderBy: { name: "asc" },
          take: 12,
        });
        await ingestAuthEvents(
          { actor: admin },
          more.map((a) => call(a.id, daysAgo(40))),
        );
        const many = await getTrafficStates(admin);
        expect(many.unusedCount).toBe(13);
        // The inventory flags the same APIs and filters on them.
        const zombies = await listApis(admin, parseListParams({ traffic: "ZOMBIE" }));
        expect(zombies.rows.map((r) => [r.name, r.traffic])).toEqual([[retiring!.name, "ZOMBIE"]]);
        const quietOnes = await listApis(admin, parseListParams({ traffic: "UNUSED", size: "50" }));
        expect(quietOnes.total).toBe(13);
        expect(quietOnes.rows.every((r) => r.traffic === "UNUSED")).toBe(true);
        const everything = await listApis(admin, parseListParams({ size: "100" }));
        expect(everything.rows.filter((r) => r.traffic).length).toBe(Math.min(14, everything.rows.length));
        expect(many.unused.map((a) => a.name)).toEqual(
          [quiet!, ...more]
            .map((a) => a.name)
            .sort((a, b) => a.localeCompare(b))
            .slice(0, TRAFFIC_STATES_SHOWN),
        );
      });

      it("the evidence bundle's observed-access table: each grant and caller of the period, with its flags", async () => {
        const rows = await periodRows(daysAgo(200), new Date().toISOString());
        expect(rows.map((r) => [r.clientId, r.recordedGrant, r.calls, r.reads, r.writes, r.failures, r.flags])).toEqual(
          [
            ["", false, 1, 0, 0, 0, ""],
            ["finance-reporting", true, 1, 1, 0, 0, "UNUSED"],
            ["gl-reconciliation", true, 3, 3, 0, 0, "WRITE_UNUSED"],
            ["legacy-batch", true, 1, 0, 1, 0, "CALLED_AFTER_EXPIRY"],
            ["shadow-client", false, 3, 2, 1, 2, "UNKNOWN_CALLER"],
          ],
        );
        // A period that ended before the recent calls: only what happened in it counts.
        const earlyRows = await periodRows(daysAgo(200), daysAgo(60));
        expect(earlyRows.filter((r) => Number(r.calls) > 0).map((r) => r.clientId)).toEqual([
          "finance-reporting",
          "gl-reconciliation",
        ]);
      });

      it("a batch naming thousands of callers is kept in a few statements (past SQLite's 999 bound values)", async () => {
        const api = (await db.api.findFirstOrThrow({ where: { name: "Refunds API" } })).id;
        const batch = Array.from({ length: 2500 }, (_, i) => ({
          time: daysAgo(1),
          api,
          clientId: `caller-${i % 1500}`,
          outcome: i % 10 ? "success" : "authn_failure",
          method: i % 2 ? "POST" : "GET",
        }));
        await ingestAuthEvents({ actor: owner }, batch);
        await ingestAuthEvents({ actor: owner }, batch.slice(0, 100));
        const rows = await db.observedAccess.findMany({ where: { apiId: api } });
        expect(rows).toHaveLength(1500);
        expect(rows.reduce((n, r) => n + Number(r.calls), 0)).toBe(2600);
        expect(rows.reduce((n, r) => n + Number(r.failures), 0)).toBe(250 + 10);
      });

      /** A migration's backfill, run again on what the batches kept: it must give the same rows. */
      const backfillAgain = async (migration: string, table: string, read: () => Promise<unknown>) => {
        const kept = await read();
        const sql = fs.readFileSync(`prisma/${provider}/migrations/${migration}/migration.sql`, "utf8");
        await asDatabaseAdmin(database, [`DELETE FROM "${table}"`, sql.slice(sql.indexOf("INSERT INTO"))]);
        expect(await read()).toEqual(kept);
      };

      it("the migration's backfill from the raw events gives what the batches kept", async () => {
        await backfillAgain("20261205000200_observed_access", "ObservedAccess", () =>
          db.observedAccess.findMany({ orderBy: [{ apiId: "asc" }, { clientId: "asc" }] }),
        );
      });

      it("every batch's events are in the day totals, as the migration's backfill counts them from the events", async () => {
        const totals = () => db.authEventDayTotal.findMany({ orderBy: [{ day: "asc" }, { outcome: "asc" }] });
        const kept = await totals();
        expect(kept.reduce((n, r) => n + Number(r.count), 0)).toBe(await db.authEvent.count());
        await backfillAgain("20261205000800_dashboard_aggregates", "AuthEventDayTotal", totals);
      });

      // Last: it sends more traffic, which the tests above do not expect.
      it("a signed-off review keeps the traffic flags it was decided on, their hash in the sign-off's audit entry", async () => {
        const manager = await signedInActor("manager@example.com");
        const review = await db.review.findFirstOrThrow({ where: { apiId: ledger } });
        const open = (await getReview(manager, review.id))!;
        const decisions = Object.fromEntries(
          open.snapshot.map((c) => [c.id, { decision: "REVOKE" as const, reason: "Unused per the gateways" }]),
        );
        const checklist = Object.fromEntries(
          CHECKLIST_ITEMS.map(([k]) => [k, { answer: "YES" as const, comment: "" }]),
        );
        const { version } = await saveReview({ actor: manager }, review.id, open.version, {
          meetingDate: "2026-12-01",
          attendees: "Morgan",
          notes: "",
          findings: "",
          checklist,
          decisions,
        });
        await signOffReview({ actor: manager }, review.id, version);
        const signed = (await getReview(manager, review.id))!;
        expect(signed.status).toBe("SIGNED_OFF");
        expect(signed.observed).toEqual(open.observed);
        // The traffic moves on — finance-reporting calls again — and the record still shows what was decided on.
        await ingestAuthEvents({ actor: await signedInActor("admin@example.com") }, [
          {
            time: new Date().toISOString(),
            api: ledger,
            clientId: "finance-reporting",
            outcome: "success",
            method: "GET",
            route: "/v1/entries",
          },
        ]);
        const live = await observedAccess(auditor, ledger);
        expect(live.rows.find((r) => r.clientId === "finance-reporting")!.flags).toEqual([]);
        const later = (await getReview(manager, review.id))!;
        expect(later.observed).toEqual(open.observed);
        const finance = later.snapshot.find((c) => c.name === "finance-reporting")!;
        expect(later.observed.grants[finance.id]!.map((f) => f.kind)).toEqual(["UNUSED"]);
        // What was frozen is what the audit chain vouches for.
        const stored = await db.review.findUniqueOrThrow({ where: { id: review.id } });
        const entry = await db.auditEntry.findFirstOrThrow({
          where: { action: "review.sign-off", targetId: review.id },
        });
        expect(JSON.parse(entry.diff)).toMatchObject({
          observedSha256: createHash("sha256").update(stored.observedAtSignOff).digest("hex"),
        });
      });
    },
  );
}
