// Token-authenticated REST reads answered without Next's pipeline (lib/server/direct-reads.ts), on both
// databases: two servers of the same build on one database and one data folder, one as `npm start` runs
// it and one with APILEDGER_DIRECT_READS=off, so every answer can be compared with the one Next gives.
// The same status, body and headers for reads of every kind (lists, one record, refusals, bad tokens,
// team-limited tokens of another team, validation errors); hostile paths are left to Next, so they are
// answered exactly as before; a bundle streams whole, and a client that goes away mid-download does not
// hurt the server nor leave the file open.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type StartedApp } from "@/lib/testing/app-server";
import { AppServer } from "@/lib/testing/app-process";
import { freePort } from "@/lib/testing/ports";
import { db, disconnectDb } from "@/lib/db/client";
import { isPostgresAvailable } from "@/lib/testing/test-db";
import { createToken } from "@/lib/tokens/create-token";
import { revokeToken } from "@/lib/tokens/revoke-token";
import { TOKEN_SCOPES, type Role } from "@/lib/authz/policy";

// Set per connection or per moment, not by the route: never compared. Nor is Vary: Next's names its
// router's request headers and its compression, neither of which a direct answer depends on (REST answers
// are no-store, never kept by a cache that Vary would instruct).
const VOLATILE = new Set(["date", "connection", "keep-alive", "transfer-encoding", "content-length", "vary"]);
const RATE = /^ratelimit|^retry-after$/;

const METRICS_TOKEN = "direct-reads-suite-metrics-token-0123456789";

/** How many reads the server answered directly so far (GET /metrics, apiledger_http_direct_reads_total). */
async function directCount(base: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
  return [...text.matchAll(/^apiledger_http_direct_reads_total\{[^}]*\} (\d+)$/gm)].reduce(
    (n, m) => n + Number(m[1]),
    0,
  );
}

/** The files under `dir` that the process listening on `base`'s port holds open. */
function openFilesUnder(base: string, dir: string): string[] {
  const port = new URL(base).port;
  const listening = execFileSync("ss", ["-ltnpH", `sport = :${port}`], { encoding: "utf8" });
  const pid = /pid=(\d+)/.exec(listening)?.[1];
  if (!pid) throw new Error(`no process listens on ${port}`);
  const held: string[] = [];
  for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
    try {
      const target = fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
      if (target.startsWith(dir)) held.push(target);
    } catch {
      // closed while listed
    }
  }
  return held;
}

type Answer = { status: number; headers: Record<string, string>; body: string; length: string | null };

/** One GET over a plain socket (fetch would normalise the path), answered whole. */
function get(base: string, target: string, headers: Record<string, string> = {}, body?: string): Promise<Answer> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: url.hostname, port: url.port, path: target, method: "GET", headers, agent: false, timeout: 30_000 },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (c: Buffer) => chunks.push(c));
        response.on("end", () => {
          const kept: Record<string, string> = {};
          for (const [name, value] of Object.entries(response.headers))
            if (!VOLATILE.has(name) && !RATE.test(name)) kept[name] = String(value);
          const raw = Buffer.concat(chunks);
          const gzipped = response.headers["content-encoding"] === "gzip";
          resolve({
            status: response.statusCode ?? 0,
            headers: kept,
            body: (gzipped ? zlib.gunzipSync(raw) : raw).toString("utf8"),
            length: response.headers["content-length"] ?? null,
          });
        });
        response.on("error", reject);
      },
    );
    request.on("error", reject);
    // A length that promises more than is sent would otherwise wait for the test's own timeout.
    request.on("timeout", () => request.destroy(new Error(`no whole answer to ${target} within 30 s`)));
    request.end(body);
  });
}

for (const provider of ["sqlite", "postgres"] as const) {
  describe.runIf(provider === "sqlite" || (await isPostgresAvailable()))(`direct REST reads on ${provider}`, () => {
    let app: StartedApp;
    let viaNext: AppServer;
    const tokens: Record<string, string> = {};
    let hostTokenId = "";
    let apiId = "";

    beforeAll(async () => {
      app = await startAppServer({ provider, port: await freePort(), env: { APILEDGER_METRICS_TOKEN: METRICS_TOKEN } });
      viaNext = new AppServer(
        await freePort(),
        {
          ...process.env,
          NODE_ENV: "production",
          NEXT_TELEMETRY_DISABLED: "1",
          DATABASE_URL: app.databaseUrl,
          APILEDGER_DATA_DIR: app.dataDir,
          APILEDGER_ADDRESS_RATE_PER_MINUTE: "1000000",
          APILEDGER_DIRECT_READS: "off",
          APILEDGER_METRICS_TOKEN: METRICS_TOKEN,
          // One server runs the jobs (and builds the export below); the other's would race it for them.
          APILEDGER_JOBS: "worker",
        },
        `${app.dataDir}/via-next.log`,
      );
      await viaNext.start();
      await disconnectDb();
      process.env.DATABASE_URL = app.databaseUrl;
      process.env.APILEDGER_DATA_DIR = app.dataDir;
      const READS = ["inventory:read", "incidents:read", "reviews:read", "events:read", "evidence:read"];
      const tokenFor = async (email: string, name: string, scopes: string[], teamName?: string) => {
        const u = await db.user.findUniqueOrThrow({ where: { email } });
        const actor = { kind: "user" as const, id: u.id, email: u.email, role: u.role as Role, teamId: u.teamId };
        const team = teamName ? await db.team.findFirstOrThrow({ where: { name: teamName } }) : null;
        return await createToken({ actor }, null, {
          name,
          scopes,
          teamId: team?.id ?? "",
          expiresInDays: 1,
        });
      };
      const ALL = TOKEN_SCOPES.filter((s) => s !== "scim:provision");
      tokens.admin = (await tokenFor("admin@example.com", "direct admin", ALL)).secret;
      tokens.auditor = (await tokenFor("auditor@example.com", "direct auditor", READS)).secret;
      tokens.payments = (await tokenFor("admin@example.com", "payments only", ALL, "Payments")).secret;
      const revoked = await tokenFor("admin@example.com", "revoked", READS);
      const admin = await db.user.findUniqueOrThrow({ where: { email: "admin@example.com" } });
      await revokeToken(
        { actor: { kind: "user", id: admin.id, email: admin.email, role: admin.role as Role, teamId: admin.teamId } },
        revoked.id,
      );
      tokens.revoked = revoked.secret;
      const host = await tokenFor("auditor@example.com", "hostile hosts", READS);
      tokens.host = host.secret;
      hostTokenId = host.id;
      // An API outside Payments, for the team-limited token to be refused.
      const outside = await db.api.findFirstOrThrow({ where: { team: { name: { not: "Payments" } } } });
      apiId = outside.id;
    }, 900_000);
    afterAll(async () => {
      await disconnectDb();
      await viaNext?.terminate();
      await app?.stop();
    });

    it("answers every kind of read as Next's pipeline does: status, body and headers", async () => {
      const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
      // [target, headers, answered directly]: every read of an /api/v1 route with a token is.
      const cases: [string, Record<string, string>, boolean][] = [
        ["/api/v1/apis?limit=5&sort=-updatedAt", bearer(tokens.admin!), true],
        ["/api/v1/apis?limit=5&sort=name", bearer(tokens.payments!), true],
        ["/api/v1/apis?limit=50", { ...bearer(tokens.admin!), "accept-encoding": "gzip, deflate, br" }, true],
        [`/api/v1/apis/${apiId}`, bearer(tokens.admin!), true],
        [`/api/v1/apis/${apiId}`, bearer(tokens.payments!), true], // another team's API: refused
        [`/api/v1/apis/${apiId}/clients`, bearer(tokens.admin!), true],
        [`/api/v1/apis/${apiId}/openapi`, bearer(tokens.admin!), true],
        ["/api/v1/apis/no-such-api", bearer(tokens.admin!), true],
        ["/api/v1/apis?limit=abc", bearer(tokens.admin!), true],
        // Refused by the server's request-line rule before either path (lib/server/http-server.ts).
        ["/api/v1/apis?sort=%00", bearer(tokens.admin!), false],
        [`/api/v1/apis/${"a".repeat(5000)}`, bearer(tokens.admin!), true],
        ["/api/v1/incidents", bearer(tokens.auditor!), true],
        ["/api/v1/reviews/campaigns", bearer(tokens.auditor!), true],
        ["/api/v1/evidence/exports", bearer(tokens.payments!), true],
        ["/api/v1/evidence/public-key", bearer(tokens.auditor!), true],
        ["/api/v1/openapi.json", bearer(tokens.auditor!), true],
        ["/api/v1/backstage/catalog", bearer(tokens.admin!), true],
        ["/api/v1/apis", bearer(tokens.revoked!), true],
        ["/api/v1/apis", bearer("apl_not-a-real-token"), true],
        ["/api/v1/apis", { authorization: "Basic YWRtaW46YWRtaW4=" }, true],
        // A bidi control and a NUL-free control byte, as the raw UTF-8 bytes a hostile client sends.
        ["/api/v1/apis", { authorization: Buffer.from("Bearer \u202egnp.exe\u0085").toString("latin1") }, true],
        ["/api/v1/no-such-route", bearer(tokens.admin!), false],
        ["/api/v1/scim/v2/Users", bearer(tokens.admin!), false],
      ];
      for (const [target, headers, expectDirect] of cases) {
        const label = `${target} ${headers.authorization?.slice(0, 12)}`;
        const before = await directCount(app.url);
        let direct = await get(app.url, target, headers);
        expect((await directCount(app.url)) - before, `${label}: answered directly`).toBe(expectDirect ? 1 : 0);
        let next = await get(viaNext.url, target, headers);
        // A background job (a campaign opened on schedule) may change the data between the two: ask again.
        if (direct.body !== next.body) {
          direct = await get(app.url, target, headers);
          next = await get(viaNext.url, target, headers);
        }
        expect(direct.status, label).toBe(next.status);
        expect(direct.headers, label).toEqual(next.headers);
        expect(direct.body, label).toBe(next.body);
      }
      // The server with APILEDGER_DIRECT_READS=off answered every one through Next.
      expect(await directCount(viaNext.url)).toBe(0);
      // The refusal of another team's API and of a revoked token, as they should be.
      expect([403, 404]).toContain((await get(app.url, `/api/v1/apis/${apiId}`, bearer(tokens.payments!))).status);
      expect((await get(app.url, "/api/v1/apis", bearer(tokens.revoked!))).status).toBe(401);
      // A direct answer carries its length; Next's pipeline streams the same body in chunks. This is also
      // what shows the direct path answered at all: were every read left to Next, it would have no length.
      const direct = await get(app.url, "/api/v1/apis?limit=5", bearer(tokens.admin!));
      expect(Number(direct.length)).toBe(Buffer.byteLength(direct.body));
      expect((await get(viaNext.url, "/api/v1/apis?limit=5", bearer(tokens.admin!))).length).toBeNull();
    });

    it("leaves hostile and unusual requests to Next, which answers them as before", async () => {
      const auth = { authorization: `Bearer ${tokens.admin}` };
      const targets = [
        "/api/v1/apis/",
        "/api/v1//apis",
        "/api/v1/./apis",
        "/api/v1/apis/../incidents",
        "/api/v1/apis/%2e%2e/incidents",
        `/api/v1/apis/${apiId}%2Fclients`,
        "/api/v1/apis/%ED%A0%80",
        "/api/v1/apis/%E2%80%AEx",
        "/api/v1/apis/%00",
        "/api/v1/apis/=HYPERLINK(1)",
        "/api/v1/apis/<script>",
        "/api/v1/scim/v2/Users",
      ];
      const before = await directCount(app.url);
      for (const target of targets) {
        const direct = await get(app.url, target, auth);
        const next = await get(viaNext.url, target, auth);
        expect(direct.status, target).toBe(next.status);
        expect(direct.body, target).toBe(next.body);
        expect(direct.status, target).not.toBe(500);
      }
      expect(await directCount(app.url)).toBe(before);
      // A GET with a body, and a read without a token (the session's way), are Next's too.
      const body = { ...auth, "content-type": "application/json", "content-length": "2" };
      const withBody = await get(app.url, "/api/v1/apis?limit=1", body, "{}");
      expect(withBody.status).toBe(200);
      expect(withBody.body).toBe((await get(viaNext.url, "/api/v1/apis?limit=1", body, "{}")).body);
      const noToken = await get(app.url, "/api/v1/apis");
      expect(noToken.status).toBe(401);
      expect(noToken).toEqual({ ...(await get(viaNext.url, "/api/v1/apis")), length: noToken.length });
    });

    it("builds the request's URL from the server's own address, whatever Host the client sends", async () => {
      // The call log (ISM-2015) records the path of the request line, not one a Host header smuggles in.
      const hosts = ["x/api/v1/incidents#", "", "a b", "[::1", "x?limit=1&", "a@b", "a:99999", "évil.example"];
      for (const host of hosts) {
        const headers = { authorization: `Bearer ${tokens.host}`, host: Buffer.from(host).toString("latin1") };
        const direct = await get(app.url, "/api/v1/evidence/exports", headers);
        const next = await get(viaNext.url, "/api/v1/evidence/exports", headers);
        expect(direct.status, host).toBe(next.status);
        expect(direct.body, host).toBe(next.body);
        expect(direct.status, host).toBe(200);
      }
      let routes: string[] = [];
      for (let i = 0; i < 40 && routes.length < hosts.length * 2; i++) {
        await new Promise((r) => setTimeout(r, 250));
        routes = (await db.apiCallLog.findMany({ where: { tokenId: hostTokenId } })).map((c) => c.route);
      }
      const logs = () =>
        [`${app.dataDir}/server.log`, `${app.dataDir}/via-next.log`]
          .map((f) =>
            fs
              .readFileSync(f, "utf8")
              .split("\n")
              .filter((l) => /call|error/i.test(l))
              .slice(-20)
              .join("\n"),
          )
          .join("\n---\n");
      expect(routes, logs()).toEqual(Array(hosts.length * 2).fill("/api/v1/evidence/exports"));
    });

    it("streams an evidence bundle whole, and a client that leaves mid-download does not hurt the server", async () => {
      const auth = { authorization: `Bearer ${tokens.auditor}` };
      const started = await fetch(`${app.url}/api/v1/evidence/exports`, {
        method: "POST",
        headers: { ...auth, "content-type": "application/json" },
        body: JSON.stringify({ period: String(new Date().getUTCFullYear()) }),
      });
      expect(started.status).toBe(202);
      const location = started.headers.get("location")!;
      let job: { status: string; sha256?: string; bytes?: number } = { status: "RUNNING" };
      for (let i = 0; i < 240 && job.status === "RUNNING"; i++) {
        await new Promise((r) => setTimeout(r, 500));
        job = (await (await fetch(`${app.url}${location}`, { headers: auth })).json()) as typeof job;
      }
      expect(job.status).toBe("DONE");
      const countBefore = await directCount(app.url);
      const bundle = await fetch(`${app.url}${location}/bundle`, { headers: auth });
      expect(bundle.status).toBe(200);
      const bytes = Buffer.from(await bundle.arrayBuffer());
      expect(bytes.length).toBe(job.bytes);
      const { createHash } = await import("node:crypto");
      expect(createHash("sha256").update(bytes).digest("hex")).toBe(job.sha256);
      expect(bundle.headers.get("etag")).toBe(`"${job.sha256}"`);
      expect(await directCount(app.url)).toBe(countBefore + 1);
      // The blob store's files (APILEDGER_BLOB_STORE=local, the default: <data dir>/files).
      const files = `${fs.realpathSync(app.dataDir)}/files/`;
      // On the direct path and on Next's: ten clients that read a little and leave, and twenty that ask and
      // hang up at once, while the handler is still opening the file. None leaves the file open (Next's
      // pipeline neither reads nor cancels the body of a client gone before the handler returned: the
      // body opens the file only when read), and the server still answers, and whole.
      for (const server of [app.url, viaNext.url]) {
        for (let i = 0; i < 10; i++) {
          const leaving = new AbortController();
          const partial = await fetch(`${server}${location}/bundle`, { headers: auth, signal: leaving.signal });
          await partial.body!.getReader().read();
          leaving.abort();
        }
        const { port } = new URL(server);
        for (let i = 0; i < 20; i++) {
          const socket = net.connect(Number(port), "127.0.0.1");
          await new Promise((r) => socket.once("connect", r));
          socket.write(`GET ${location}/bundle HTTP/1.1\r\nHost: x\r\nAuthorization: ${auth.authorization}\r\n\r\n`);
          socket.resetAndDestroy();
        }
        let held = openFilesUnder(server, files);
        for (let i = 0; i < 40 && held.length; i++) {
          await new Promise((r) => setTimeout(r, 250));
          held = openFilesUnder(server, files);
        }
        expect(held, server).toEqual([]);
      }
      for (const server of [app.url, viaNext.url]) {
        const again = Buffer.from(await (await fetch(`${server}${location}/bundle`, { headers: auth })).arrayBuffer());
        expect(again.equals(bytes), server).toBe(true);
      }
    });
  });
}
