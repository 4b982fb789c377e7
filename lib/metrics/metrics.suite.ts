// GET /metrics against the started server (npm start's own script), checked by Prometheus's own tools:
// `promtool check metrics` lints the exposition, and a real Prometheus (Debian's package) scrapes it with
// the token from a credentials file, as an operator would configure it. Who may read it: only the holder
// of APILEDGER_METRICS_TOKEN — not a signed-out visitor, not an administrator's API token.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type StartedApp } from "@/lib/testing/app-server";
import { freePort } from "@/lib/testing/ports";
import { db, disconnectDb } from "@/lib/db/client";
import { createToken } from "@/lib/tokens/create-token";
import type { Role } from "@/lib/authz/policy";

const PROMETHEUS = ["/usr/bin/prometheus"].find((p) => fs.existsSync(p));
const PROMTOOL = ["/usr/bin/promtool"].find((p) => fs.existsSync(p));
const TOKEN = "m".repeat(16) + "0123456789abcdef0123456789";

/** The value of one sample line (`name{labels} value`), or undefined when the series is absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : undefined;
}

describe.runIf(PROMTOOL && PROMETHEUS)("Prometheus metrics (GET /metrics) and the JSON log", () => {
  let app: StartedApp;
  let adminToken: string;
  let ownerToken: string;
  const scrape = (authorization?: string) =>
    fetch(`${app.url}/metrics`, { headers: authorization ? { authorization } : {} });

  beforeAll(async () => {
    app = await startAppServer({ provider: "sqlite", port: 3184, env: { APILEDGER_METRICS_TOKEN: TOKEN } });
    await disconnectDb();
    process.env.DATABASE_URL = app.databaseUrl;
    process.env.APILEDGER_DATA_DIR = app.dataDir;
    const tokenFor = async (email: string, teamId = "") => {
      const u = await db.user.findUniqueOrThrow({ where: { email } });
      const actor = { kind: "user" as const, id: u.id, email: u.email, role: u.role as Role, teamId: u.teamId };
      return (
        await createToken({ actor }, null, {
          name: `metrics-${email}`,
          scopes: ["inventory:read", "events:write", "events:read"],
          teamId,
          expiresInDays: 1,
        })
      ).secret;
    };
    adminToken = await tokenFor("admin@example.com");
    const owner = await db.user.findUniqueOrThrow({ where: { email: "owner@example.com" } });
    // A team-limited token of another team: no more right to the metrics than the rest.
    ownerToken = await tokenFor("owner@example.com", owner.teamId ?? "");
  }, 900_000);
  afterAll(async () => {
    await disconnectDb();
    await app?.stop();
  });

  it("answers only the metrics token: not a visitor, a wrong token, nor any person's API token", async () => {
    for (const authorization of [
      undefined,
      "Bearer wrong",
      `Bearer ${TOKEN}x`,
      `Bearer ${TOKEN.slice(0, -1)}`,
      `Basic ${Buffer.from(`prometheus:${TOKEN}`).toString("base64")}`,
      `Bearer ${adminToken}`,
      `Bearer ${ownerToken}`,
    ]) {
      const response = await scrape(authorization);
      expect(response.status, authorization).toBe(401);
      expect(response.headers.get("www-authenticate")).toBe('Bearer realm="metrics"');
      expect(await response.text()).not.toMatch(/apiledger_/);
    }
    const response = await scrape(`Bearer ${TOKEN}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  });

  it("passes promtool's lint, and counts requests, stored events and the jobs as they happen", async () => {
    const before = await (await scrape(`Bearer ${TOKEN}`)).text();
    const api = await db.api.findFirstOrThrow({ where: { deletedAt: null }, select: { id: true } });
    const events = Array.from({ length: 7 }, (_, i) => ({
      time: new Date(Date.now() - i * 1000).toISOString(),
      api: api.id,
      clientId: "metrics-client",
      outcome: "success",
      sourceIp: "10.0.0.1",
      method: "GET",
      route: "/v1/x",
    }));
    const sent = await fetch(`${app.url}/api/v1/events/auth`, {
      method: "POST",
      headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" },
      body: JSON.stringify(events),
    });
    expect(sent.status, await sent.clone().text()).toBeLessThan(300);
    const listed = await fetch(`${app.url}/api/v1/apis?limit=5`, {
      headers: { authorization: `Bearer ${adminToken}` },
    });
    expect(listed.status).toBe(200);
    await listed.text(); // counted when its response has finished
    const text = await (await scrape(`Bearer ${TOKEN}`)).text();
    const lint = spawnSync(PROMTOOL!, ["check", "metrics"], { input: text, encoding: "utf8" });
    expect(lint.status, `${lint.stdout}${lint.stderr}`).toBe(0);
    expect(
      sample(text, "apiledger_events_stored_total")! - (sample(before, "apiledger_events_stored_total") ?? 0),
    ).toBe(7);
    const requests = (t: string) =>
      sample(t, 'apiledger_http_requests_total{method="GET",route="/api/v1/apis",status="200"}') ?? 0;
    expect(requests(text) - requests(before)).toBe(1);
    expect(
      sample(text, 'apiledger_http_request_duration_seconds_count{method="GET",route="/api/v1/apis"}'),
    ).toBeGreaterThanOrEqual(1);
    // The installation's state, read from the database: every job listed, the audit log's head.
    expect(text).toMatch(/^apiledger_job_failed_runs\{name="email-delivery"\} 0$/m);
    expect(text).toMatch(/^apiledger_job_overdue\{name="blob-collection"\} 0$/m);
    expect(sample(text, 'apiledger_evidence_exports_open{state="queued"}')).toBe(0);
    expect(sample(text, "apiledger_database_gauges_ok")).toBe(1);
    // Read from the database at most every 10 s: a later scrape catches up with the head as it is now.
    const head = await db.auditEntry.findFirstOrThrow({ orderBy: { seq: "desc" }, select: { seq: true } });
    let audited = sample(text, "apiledger_audit_log_entries") ?? 0;
    for (let i = 0; audited < head.seq && i < 30; i++) {
      await new Promise((r) => setTimeout(r, 500));
      audited = sample(await (await scrape(`Bearer ${TOKEN}`)).text(), "apiledger_audit_log_entries") ?? 0;
    }
    expect(audited).toBeGreaterThanOrEqual(head.seq);
    // No SIEM configured: no lag series at all (rather than a misleading 0).
    expect(text).not.toMatch(/^apiledger_siem_forwarder_lag_entries /m);
    expect(text).toMatch(/^apiledger_process_resident_memory_bytes /m);
  });

  it("labels requests by the route that answered, never by the path sent", async () => {
    const api = await db.api.findFirstOrThrow({ where: { deletedAt: null }, select: { id: true } });
    await fetch(`${app.url}/api/v1/apis/${api.id}`, { headers: { authorization: `Bearer ${adminToken}` } });
    await Promise.all(Array.from({ length: 50 }, (_, i) => fetch(`${app.url}/api/v1/no-such-route-${i}`)));
    await fetch(`${app.url}/%E2%80%AEevil%00?x=1`);
    const text = await (await scrape(`Bearer ${TOKEN}`)).text();
    const routes = new Set(
      [...text.matchAll(/^apiledger_http_requests_total\{[^}]*route="([^"]*)"/gm)].map((m) => m[1]),
    );
    expect(routes.has("/api/v1/apis/[id]"), [...routes].join(" ")).toBe(true);
    // Paths no route answers are the not-found page's.
    expect(routes.has("/[...missing]")).toBe(true);
    expect(
      [...routes].filter((r) => r?.includes("no-such-route") || r?.includes(api.id) || r?.includes("evil")),
    ).toEqual([]);
    // Every label is one of the app's routes.
    const manifest = JSON.parse(fs.readFileSync(".next/routes-manifest.json", "utf8")) as {
      staticRoutes: { page: string }[];
      dynamicRoutes: { page: string }[];
    };
    const pages = new Set([...manifest.staticRoutes, ...manifest.dynamicRoutes].map((r) => r.page));
    expect([...routes].filter((r) => !pages.has(r!) && r !== "unmatched" && r !== "asset")).toEqual([]);
  });

  it("logs each request and its own events as one JSON object per line, with no token or query string in them", async () => {
    const secretQuery = "sig=do-not-log-this-query";
    const listed = await fetch(`${app.url}/api/v1/apis?limit=1&${secretQuery}`, {
      headers: { authorization: `Bearer ${adminToken}` },
    });
    await listed.text();
    await fetch(`${app.url}/api/v1/apis`, { headers: { authorization: "Bearer apl_not-a-real-token-but-secret" } });
    await new Promise((r) => setTimeout(r, 200));
    const log = fs.readFileSync(path.join(app.dataDir, "server.log"), "utf8");
    const entries = log
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries.length).toBeGreaterThan(10);
    for (const entry of entries) {
      expect(entry).toMatchObject({ service: "apiledger", pid: expect.any(Number), msg: expect.any(String) });
      expect(["info", "warn", "error"]).toContain(entry.level);
      expect(new Date(String(entry.time)).toISOString()).toBe(entry.time);
    }
    expect(entries.find((e) => typeof e.msg === "string" && e.msg.startsWith("listening on port"))).toBeDefined();
    const request = entries.find((e) => e.msg === "request" && e.path === "/api/v1/apis" && e.status === 200);
    expect(request).toMatchObject({
      method: "GET",
      route: "/api/v1/apis",
      source: "127.0.0.1",
      ms: expect.any(Number),
    });
    expect(entries.some((e) => e.msg === "request" && e.status === 401 && e.route === "/api/v1/apis")).toBe(true);
    for (const secret of [TOKEN, adminToken, ownerToken, "apl_not-a-real-token-but-secret", secretQuery])
      expect(log.includes(secret), secret.slice(0, 12)).toBe(false);
  });

  it("is scraped by a real Prometheus with the token in a credentials file", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "apiledger-prometheus-"));
    const credentials = path.join(dir, "token");
    fs.writeFileSync(credentials, TOKEN, { mode: 0o600 });
    const port = await freePort();
    fs.writeFileSync(
      path.join(dir, "prometheus.yml"),
      `global:
  scrape_interval: 1s
scrape_configs:
  - job_name: apiledger
    metrics_path: /metrics
    authorization:
      type: Bearer
      credentials_file: ${credentials}
    static_configs:
      - targets: ["${new URL(app.url).host}"]
`,
    );
    let prometheus: ChildProcess | null = null;
    let log = "";
    try {
      prometheus = spawn(
        PROMETHEUS!,
        [
          `--config.file=${path.join(dir, "prometheus.yml")}`,
          `--storage.tsdb.path=${path.join(dir, "data")}`,
          `--web.listen-address=127.0.0.1:${port}`,
        ],
        { stdio: ["ignore", "pipe", "pipe"] },
      );
      prometheus.stderr!.on("data", (c: Buffer) => (log += c.toString()));
      const query = async (q: string) => {
        const response = await fetch(`http://127.0.0.1:${port}/api/v1/query?query=${encodeURIComponent(q)}`).catch(
          () => null,
        );
        if (!response?.ok) return [];
        const body = (await response.json()) as {
          data: { result: { metric: Record<string, string>; value: [number, string] }[] };
        };
        return body.data.result;
      };
      let up: Awaited<ReturnType<typeof query>> = [];
      for (let i = 0; i < 120 && !(up[0]?.value[1] === "1"); i++) {
        await new Promise((r) => setTimeout(r, 250));
        up = await query('up{job="apiledger"}');
      }
      expect(up[0]?.value[1], log).toBe("1");
      const jobs = await query("apiledger_job_failed_runs");
      expect(jobs.map((r) => r.metric.name)).toEqual(expect.arrayContaining(["email-delivery", "export-lapse-check"]));
      expect(jobs.every((r) => r.metric.job === "apiledger")).toBe(true);
      const stored = await query("apiledger_events_stored_total");
      expect(Number(stored[0]?.value[1])).toBeGreaterThanOrEqual(7);
    } finally {
      prometheus?.kill("SIGTERM");
      await new Promise((r) => (prometheus ? prometheus.once("exit", r) : r(null)));
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
