// Routing rules and discovered APIs (issue 17), on SQLite and PostgreSQL: a team's traffic goes to the API
// of the most specific rule, else to the source's own API; what goes nowhere is gathered by host and path
// prefix as a discovered API, which an admin routes to an API or ignores with a reason.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPostgresAvailable, useTestDatabase, type TestDatabase } from "@/lib/testing/test-db";
import { db } from "@/lib/db/client";
import { seedDemo } from "@/prisma/seed";
import type { Actor } from "@/lib/authz/policy";
import { signedInActor, tokenActor } from "@/lib/testing/actors";
import { createTrafficSource } from "@/lib/traffic/create-source";
import { ingestTraffic } from "@/lib/traffic/ingest-traffic";
import { createTrafficRoute, deleteTrafficRoute, ignoreDiscoveredApi, routeDiscoveredApi } from "@/lib/traffic/routes";
import { listRouteSuggestions, listRouting } from "@/lib/traffic/routing-queries";
import { parseSuggestionView } from "@/lib/traffic/list-view";
import { DISCOVERIES_PER_BATCH } from "@/lib/traffic/routing";
import { apiInput } from "@/lib/testing/api-input";
import { createApi } from "@/lib/apis/create-api";
import { updateApi } from "@/lib/apis/update-api";
import { deleteApi } from "@/lib/apis/delete-api";

const secondsAgo = (n: number) => new Date(Date.now() - n * 1000).toISOString();
let sequence = 0;
/** An NGINX JSON access-log line; each one a separate call (its own request id). */
const call = (host: string, uri: string, over: Record<string, unknown> = {}) => ({
  time: secondsAgo(30),
  remote_addr: "10.1.2.3",
  request_method: "GET",
  host,
  uri,
  status: 200,
  request_id: `req-${++sequence}`,
  client_id: "gl-reconciliation",
  ...over,
});

for (const provider of ["sqlite", "postgres"] as const) {
  describe.runIf(provider === "sqlite" || (await isPostgresAvailable()))(`traffic routing on ${provider}`, () => {
    let database: TestDatabase;
    let admin: Actor, source: Actor;
    let teamId: string, otherTeamApi: string;
    let entries: { id: string; name: string }, ledger: { id: string; name: string };

    beforeAll(async () => {
      database = await useTestDatabase(provider);
      await seedDemo();
      admin = await signedInActor("admin@example.com");
      const payments = await db.api.findFirstOrThrow({ where: { name: "Payments Ledger API" } });
      teamId = payments.teamId!;
      ledger = payments;
      entries = await db.api.findFirstOrThrow({
        where: { teamId, deletedAt: null, id: { not: payments.id } },
        select: { id: true, name: true },
      });
      otherTeamApi = (await db.api.findFirstOrThrow({ where: { teamId: { not: teamId }, deletedAt: null } })).id;
      // A source with no API of its own: every call is routed by the rules, or discovered.
      const { secret } = await createTrafficSource(
        { actor: admin },
        { name: "Shared edge", profile: "nginx", lenient: true, teamId, apiId: "" },
      );
      source = await tokenActor(secret);
    });
    afterAll(async () => database?.drop());

    const send = (records: unknown[]) => ingestTraffic({ actor: source }, () => records);
    const rule = (over: Record<string, unknown>) =>
      createTrafficRoute(
        { actor: admin },
        { teamId, apiId: ledger.id, host: "", pathPrefix: "", gatewayRoute: "", ...over },
      );
    const eventsOf = (apiId: string, clientId: string) => db.authEvent.count({ where: { apiId, clientId } });

    it("the most specific rule takes a call: a gateway route, then a host, then the longest path prefix", async () => {
      await rule({ host: "Ledger.Internal.Example" });
      await rule({ host: "ledger.internal.example", pathPrefix: "/v1/entries/", apiId: entries.id });
      await rule({ gatewayRoute: "entries-route", apiId: entries.id });
      const result = await send([
        call("ledger.internal.example", "/v1/entries/42", { client_id: "to-entries" }),
        call("ledger.internal.example", "/v1/entries", { client_id: "to-entries" }),
        // A path that only starts with the prefix's text is not under it.
        call("ledger.internal.example", "/v1/entriesx", { client_id: "to-ledger" }),
        call("ledger.internal.example", "/v1/balances", { client_id: "to-ledger" }),
        call("other.internal.example", "/x", { client_id: "to-entries", location: "entries-route" }),
      ]);
      expect(result).toMatchObject({ received: 5, stored: 5, unrouted: 0 });
      expect(await eventsOf(entries.id, "to-entries")).toBe(3);
      expect(await eventsOf(ledger.id, "to-ledger")).toBe(2);
      const entry = await db.auditEntry.findFirstOrThrow({
        where: { action: "traffic-route.create" },
        orderBy: { seq: "asc" },
      });
      expect(entry.summary).toContain("host ledger.internal.example");
    });

    it("refuses a rule that would take everything, one for another team's API, a repeat, and anyone but an admin", async () => {
      await expect(rule({})).rejects.toMatchObject({
        code: "VALIDATION",
        fieldErrors: { host: [expect.stringMatching(/every call/)] },
      });
      await expect(rule({ host: "x.example", apiId: otherTeamApi })).rejects.toMatchObject({
        fieldErrors: { apiId: ["Choose one of the team's APIs."] },
      });
      await expect(rule({ host: "ledger.internal.example" })).rejects.toMatchObject({
        fieldErrors: { host: [expect.stringMatching(/already has a rule/)] },
      });
      await expect(rule({ host: "https://evil.example:443/x" })).rejects.toMatchObject({ code: "VALIDATION" });
      await expect(rule({ pathPrefix: "/a?b=1" })).rejects.toMatchObject({ code: "VALIDATION" });
      const manager = await signedInActor("manager@example.com");
      await expect(
        createTrafficRoute(
          { actor: manager },
          { teamId, apiId: ledger.id, host: "m.example", pathPrefix: "", gatewayRoute: "" },
        ),
      ).rejects.toMatchObject({ code: "FORBIDDEN" });
    });

    it("calls to no API are gathered as a discovered API: first and last seen, methods, paths, callers, failures", async () => {
      const first = await send([
        call("shadow.internal.example", "/v2/orders/1", { time: secondsAgo(300) }),
        call("shadow.internal.example", "/v2/orders/2", { request_method: "POST", status: 401, client_id: "intruder" }),
        call("shadow.internal.example", "/health"),
      ]);
      expect(first).toMatchObject({ stored: 0, unrouted: 3 });
      await send([call("shadow.internal.example", "/v2/orders/3", { request_method: "DELETE", status: 403 })]);
      const found = await db.discoveredApi.findMany({
        where: { host: "shadow.internal.example" },
        orderBy: { pathPrefix: "asc" },
      });
      expect(found.map((d) => d.pathPrefix)).toEqual(["/health", "/v2/orders"]);
      const orders = found[1]!;
      expect(orders).toMatchObject({ calls: 3n, failures: 2n, status: "NEW" });
      expect(JSON.parse(orders.methods)).toEqual(["GET", "POST", "DELETE"]);
      expect(JSON.parse(orders.callers)).toEqual(["gl-reconciliation", "intruder"]);
      expect(JSON.parse(orders.paths)).toEqual(["/v2/orders/1", "/v2/orders/2", "/v2/orders/3"]);
      expect(orders.lastSeenAt.getTime() - orders.firstSeenAt.getTime()).toBeGreaterThan(200_000);
      const { discovered } = await listRouting(admin);
      expect(discovered.find((d) => d.id === orders.id)).toMatchObject({
        calls: 3,
        failures: 2,
        methods: ["GET", "POST", "DELETE"],
      });
    });

    it("one batch adds at most a hundred hosts, however many it names", async () => {
      const before = await db.discoveredApi.count();
      const result = await send(Array.from({ length: 150 }, (_, i) => call(`made-up-${i}.example`, "/x")));
      expect(result).toMatchObject({ unrouted: 150 });
      expect((await db.discoveredApi.count()) - before).toBe(DISCOVERIES_PER_BATCH);
    });

    it("routing a discovered API makes a rule for its host and prefix: its later calls are the API's events", async () => {
      const orders = await db.discoveredApi.findFirstOrThrow({
        where: { host: "shadow.internal.example", pathPrefix: "/v2/orders" },
      });
      await expect(routeDiscoveredApi({ actor: admin }, orders.id, otherTeamApi)).rejects.toMatchObject({
        code: "VALIDATION",
      });
      await routeDiscoveredApi({ actor: admin }, orders.id, entries.id);
      expect(await db.discoveredApi.findUniqueOrThrow({ where: { id: orders.id } })).toMatchObject({
        status: "REGISTERED",
        apiId: entries.id,
      });
      await send([call("shadow.internal.example", "/v2/orders/9", { client_id: "now-routed" })]);
      expect(await eventsOf(entries.id, "now-routed")).toBe(1);
    });

    it("ignoring one keeps the reason, audited; it cannot be ignored twice; a deleted rule routes nothing", async () => {
      const health = await db.discoveredApi.findFirstOrThrow({
        where: { host: "shadow.internal.example", pathPrefix: "/health" },
      });
      await expect(ignoreDiscoveredApi({ actor: admin }, health.id, { reason: "  " })).rejects.toMatchObject({
        code: "VALIDATION",
      });
      await ignoreDiscoveredApi({ actor: admin }, health.id, { reason: "The load balancer's health check" });
      expect(await db.discoveredApi.findUniqueOrThrow({ where: { id: health.id } })).toMatchObject({
        status: "IGNORED",
        reason: "The load balancer's health check",
      });
      await expect(ignoreDiscoveredApi({ actor: admin }, health.id, { reason: "again" })).rejects.toMatchObject({
        code: "CONFLICT",
      });
      const entry = await db.auditEntry.findFirstOrThrow({
        where: { action: "discovered-api.ignore", targetId: health.id },
      });
      expect(entry.summary).toContain("health check");

      const { rules } = await listRouting(admin);
      const byHost = rules.find((r) => r.host === "ledger.internal.example" && !r.pathPrefix)!;
      await deleteTrafficRoute({ actor: admin }, byHost.id);
      const after = await send([call("ledger.internal.example", "/v1/balances", { client_id: "after-delete" })]);
      expect(after).toMatchObject({ stored: 0, unrouted: 1 });
      await expect(deleteTrafficRoute({ actor: admin }, byHost.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    });

    it("suggests a rule from each API's base URLs that no rule covers yet", async () => {
      const everySuggestion = async () =>
        (await listRouteSuggestions(admin, parseSuggestionView({ size: "100" }))).rows;
      const suggestions = await everySuggestion();
      const api = await db.api.findFirstOrThrow({ where: { id: ledger.id } });
      const [production] = JSON.parse(api.environments) as { baseUrl: string }[];
      expect(suggestions).toContainEqual(
        expect.objectContaining({ apiId: ledger.id, host: new URL(production!.baseUrl).hostname, pathPrefix: "" }),
      );
      await rule({ host: new URL(production!.baseUrl).hostname });
      expect(
        (await everySuggestion()).filter(
          (s) => s.apiId === ledger.id && s.host === new URL(production!.baseUrl).hostname,
        ),
      ).toEqual([]);
    });

    it("the next load shows an API added, a base URL changed and an API deleted (only what changed is read again)", async () => {
      const hostsOf = async (apiId: string) =>
        (await listRouteSuggestions(admin, parseSuggestionView({ size: "100", sort: "host" }))).rows
          .filter((s) => s.apiId === apiId)
          .map((s) => s.host);
      const input = (host: string) =>
        apiInput(teamId, {
          name: "Settlement API",
          environments: [{ name: "Production", baseUrl: `https://${host}/v2` }],
        });
      // Read once before the changes, so the next loads read only what changed since.
      const before = (await listRouteSuggestions(admin, parseSuggestionView({ size: "100" }))).rows;
      expect(before.map((s) => s.host)).not.toContain("settle.internal.example");
      const { id } = await createApi({ actor: admin }, input("settle.internal.example"));
      expect(await hostsOf(id)).toEqual(["settle.internal.example"]);
      await updateApi({ actor: admin }, id, 1, input("settlement.internal.example"));
      expect(await hostsOf(id)).toEqual(["settlement.internal.example"]);
      await deleteApi({ actor: admin }, id);
      expect(await hostsOf(id)).toEqual([]);
    });
  });
}
