// Issue 17's proof with a real gateway: Debian's NGINX, configured with the README's own `log_format`,
// authenticates callers in front of a small upstream and logs every call as JSON; its log file is shipped
// as it is (gzip NDJSON, the way Fluent Bit or Vector would post it) to a started ApiLedger on each
// database, with the source's token. The calls — 401s and 403s included — become authentication events
// of the API, a line a crashed writer cut short is quarantined, and the same file shipped again (a
// shipper's retry) stores nothing twice.
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type StartedApp } from "@/lib/testing/app-server";
import { isPostgresAvailable } from "@/lib/testing/test-db";
import { NGINX_BIN, startNginx, type Nginx } from "@/lib/testing/nginx";
import { db, disconnectDb } from "@/lib/db/client";
import { signedInActor } from "@/lib/testing/actors";
import { createTrafficSource } from "@/lib/traffic/create-source";
import { createTrafficRoute } from "@/lib/traffic/routes";
import { listRouting } from "@/lib/traffic/routing-queries";
import { observedAccess } from "@/lib/observed/queries";
import { openCampaign } from "@/lib/reviews/open-campaign";
import { startReview } from "@/lib/reviews/save-review";
import { getReview } from "@/lib/reviews/queries";

/** The README's NGINX `log_format` as an operator copies it (the statement, not the example's log path). */
function readmeLogFormat(): string {
  const readme = fs.readFileSync(path.resolve("README.md"), "utf8");
  const block = /```nginx\n([\s\S]*?)```/.exec(readme)?.[1];
  const statement = block
    ?.split("\n")
    .map((l) => l.trim())
    .join("\n")
    .match(/log_format apiledger[\s\S]*?';/)?.[0];
  if (!statement) throw new Error("README.md has no NGINX log_format for the apiledger profile");
  return statement;
}

/** What the gateway does: no token is 401, the read-only client writing is 403, the rest reach the upstream. */
const gateway = (port: number, dir: string, upstream: number) => `
  ${readmeLogFormat()}
  access_log ${dir}/api-access.json apiledger;
  map $http_authorization $api_client {
    "Bearer gl-secret" gl-reconciliation;
    "Bearer report-secret" reporting;
    "Bearer legacy-secret" legacy-batch;
    default "";
  }
  map "$api_client:$request_method" $denied {
    "reporting:POST" 1;
    default 0;
  }
  server {
    listen 127.0.0.1:${port};
    server_name ledger.internal.example;
    location /v1/ {
      if ($api_client = "") { return 401; }
      if ($denied) { return 403; }
      proxy_set_header X-Client-Id $api_client;
      proxy_pass http://127.0.0.1:${upstream};
    }
  }
  # The same gateway in front of a service nobody registered (a shadow API).
  server {
    listen 127.0.0.1:${port};
    server_name jobs.internal.example;
    location / {
      if ($api_client = "") { return 401; }
      proxy_pass http://127.0.0.1:${upstream};
    }
  }`;

function call(
  url: string,
  method: string,
  route: string,
  token?: string,
  host = "ledger.internal.example",
): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${url}${route}`,
      {
        method,
        // Every caller claims to be the admin console: the log names the client the key establishes.
        headers: {
          host,
          "x-client-id": "admin-console",
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.end(method === "POST" ? "{}" : undefined);
  });
}

for (const [provider, port] of [
  ["sqlite", 3186],
  ["postgres", 3187],
] as const) {
  describe.runIf(!!NGINX_BIN && (provider === "sqlite" || (await isPostgresAvailable())))(
    `a real NGINX's access log shipped to a started server on ${provider}`,
    () => {
      let app: StartedApp;
      let nginx: Nginx;
      let upstream: http.Server;
      let token: string, sourceId: string, apiId: string;

      beforeAll(async () => {
        app = await startAppServer({ provider, port });
        await disconnectDb();
        process.env.DATABASE_URL = app.databaseUrl;
        process.env.APILEDGER_DATA_DIR = app.dataDir;
        const api = await db.api.findFirstOrThrow({ where: { name: "Payments Ledger API" } });
        apiId = api.id;
        const source = await createTrafficSource(
          { actor: await signedInActor("admin@example.com") },
          { name: "Edge NGINX", profile: "nginx", lenient: true, teamId: api.teamId!, apiId: api.id },
        );
        token = source.secret;
        sourceId = source.id;
        upstream = http.createServer((req, res) => {
          req.resume();
          res.writeHead(req.method === "POST" ? 201 : 200, { "content-type": "application/json" }).end("{}");
        });
        await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
        const upstreamPort = (upstream.address() as { port: number }).port;
        nginx = await startNginx((listen, dir) => gateway(listen, dir, upstreamPort));
      });
      afterAll(async () => {
        await nginx?.stop();
        await new Promise((resolve) => upstream?.close(resolve));
        await app?.stop();
      });

      it("its calls, 401s and 403s included, become the API's authentication events; a retry stores nothing twice", async () => {
        const statuses = [];
        for (const [method, route, secret] of [
          ["GET", "/v1/entries", "gl-secret"],
          ["GET", "/v1/entries?page=2", "gl-secret"],
          ["POST", "/v1/entries", "gl-secret"],
          ["GET", "/v1/entries", "report-secret"],
          ["POST", "/v1/entries", "report-secret"],
          ["GET", "/v1/entries", undefined],
          ["DELETE", "/v1/entries/7", undefined],
        ] as const)
          statuses.push(await call(nginx.url, method, route, secret));
        expect(statuses).toEqual([200, 200, 201, 200, 403, 401, 401]);

        // The log as NGINX wrote it, and a last line cut short by a writer that crashed mid-line.
        const logged = fs.readFileSync(path.join(nginx.dir, "api-access.json"), "utf8");
        expect(logged.trim().split("\n")).toHaveLength(7);
        const shipped = gzipSync(`${logged}{"time":"2026-12-04T10:00:00+10:00","remote_a`);
        const ship = () =>
          fetch(`${app.url}/api/v1/traffic`, {
            method: "POST",
            headers: {
              authorization: `Bearer ${token}`,
              "content-type": "application/x-ndjson",
              "content-encoding": "gzip",
            },
            body: shipped,
          });
        const first = await ship();
        expect(first.status, await first.clone().text()).toBe(200);
        expect(await first.json()).toMatchObject({ received: 8, stored: 7, quarantined: 1, duplicates: 0 });

        const events = await db.authEvent.findMany({
          where: { apiId },
          select: { clientId: true, outcome: true, method: true, route: true, sourceIp: true },
        });
        const seen = events.filter((e) => e.sourceIp === "127.0.0.1" && e.route.startsWith("/v1/entries"));
        expect(seen.map((e) => `${e.method} ${e.route} ${e.outcome} ${e.clientId}`).sort()).toEqual(
          [
            "GET /v1/entries success gl-reconciliation",
            "GET /v1/entries success gl-reconciliation",
            "POST /v1/entries success gl-reconciliation",
            "GET /v1/entries success reporting",
            "POST /v1/entries authz_denied reporting",
            "GET /v1/entries authn_failure ",
            "DELETE /v1/entries/7 authn_failure ",
          ].sort(),
        );
        const [cut] = await db.quarantinedRecord.findMany({ where: { sourceId } });
        expect(cut!.reason).toMatch(/not valid JSON/);

        // The shipper did not see the answer and sends the file again.
        const again = await ship();
        expect(await again.json()).toMatchObject({ received: 8, stored: 0, quarantined: 0, duplicates: 8 });
        expect(await db.authEvent.count({ where: { apiId, sourceIp: "127.0.0.1" } })).toBe(seen.length);
        expect(await db.trafficSource.findUniqueOrThrow({ where: { id: sourceId } })).toMatchObject({
          received: 16n,
          stored: 7n,
          quarantined: 1n,
          duplicates: 8n,
        });
      });

      it("a gateway in front of many APIs: routed by a rule, the unregistered host discovered, each grant judged by its calls and shown in the review", async () => {
        const admin = await signedInActor("admin@example.com");
        const api = await db.api.findUniqueOrThrow({ where: { id: apiId } });
        // A source for the whole gateway (no API of its own) and a rule for the ledger's host.
        const edge = await createTrafficSource(
          { actor: admin },
          { name: "Shared edge NGINX", profile: "nginx", lenient: true, teamId: api.teamId!, apiId: "" },
        );
        await createTrafficRoute(
          { actor: admin },
          { teamId: api.teamId!, apiId, host: "ledger.internal.example", pathPrefix: "/v1/entries", gatewayRoute: "" },
        );
        const logFile = path.join(nginx.dir, "api-access.json");
        const before = fs.readFileSync(logFile, "utf8").length;
        const statuses = [];
        for (const [method, route, secret, host] of [
          ["POST", "/v1/entries", "legacy-secret", "ledger.internal.example"],
          ["GET", "/v1/entries", "report-secret", "ledger.internal.example"],
          ["GET", "/v2/jobs/17", "gl-secret", "jobs.internal.example"],
          ["POST", "/v2/jobs", "gl-secret", "jobs.internal.example"],
          ["GET", "/v2/jobs", undefined, "jobs.internal.example"],
        ] as const)
          statuses.push(await call(nginx.url, method, route, secret, host));
        expect(statuses).toEqual([201, 200, 200, 201, 401]);
        const fresh = fs.readFileSync(logFile, "utf8").slice(before);
        const sent = await fetch(`${app.url}/api/v1/traffic`, {
          method: "POST",
          headers: { authorization: `Bearer ${edge.secret}`, "content-type": "application/x-ndjson" },
          body: fresh,
        });
        expect(await sent.json()).toMatchObject({ received: 5, stored: 2, unrouted: 3 });

        // Routing: the ledger's calls are its events.
        const routed = await db.authEvent.findMany({
          where: { apiId, clientId: { in: ["legacy-batch", "reporting"] }, method: { in: ["POST", "GET"] } },
          select: { clientId: true },
        });
        expect(routed.map((e) => e.clientId).sort()).toContain("legacy-batch");
        // Discovery: the jobs host, with its methods, callers and the refusal.
        const { discovered } = await listRouting(admin);
        const jobs = discovered.find((d) => d.host === "jobs.internal.example");
        expect(jobs).toMatchObject({ pathPrefix: "/v2/jobs", calls: 3, failures: 1 });
        expect(jobs!.methods).toEqual(expect.arrayContaining(["GET", "POST"]));
        expect(jobs!.callers).toEqual(expect.arrayContaining(["gl-reconciliation"]));

        // Observed versus granted: an expired credential that still gets in, a caller that is no grant.
        const view = await observedAccess(admin, apiId);
        const kinds = Object.fromEntries(view.rows.map((r) => [r.clientId, r.flags.map((f) => f.kind)]));
        expect(kinds["legacy-batch"]).toContain("CALLED_AFTER_EXPIRY");
        expect(kinds.reporting).toEqual(["UNKNOWN_CALLER"]);
        expect(kinds["gl-reconciliation"]).toEqual([]);

        // The quarterly review shows them beside the frozen grants.
        await openCampaign({ actor: admin }, { quarter: "2026-Q4", extraApiIds: [] });
        const review = await db.review.findFirstOrThrow({ where: { apiId } });
        const manager = await signedInActor("manager@example.com");
        await startReview({ actor: manager }, review.id);
        const detail = (await getReview(manager, review.id))!;
        const legacy = detail.snapshot.find((c) => c.name === "legacy-batch")!;
        expect(detail.observed.grants[legacy.id]!.map((f) => f.kind)).toEqual(["CALLED_AFTER_EXPIRY"]);
        expect(detail.observed.unknownCallers.map((u) => u.clientId)).toContain("reporting");
      });
    },
  );
}
