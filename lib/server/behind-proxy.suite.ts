// Pen-test item 7 against the started server (npm start's own script, lib/server/http-server.ts), once
// without trusted proxies and once behind a real NGINX it is told to trust: which address is recorded
// for a request (a refused API token writes it to SignInEvent at once), and which headers are believed.
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type StartedApp } from "@/lib/testing/app-server";
import { db, disconnectDb } from "@/lib/db/client";
import { NGINX_BIN, startNginx } from "@/lib/testing/nginx";

// The test client sends from its own loopback address, so it is never the trusted proxy itself.
const CLIENT = "127.0.0.5";

type Answer = { status: number; headers: http.IncomingHttpHeaders; body: string };
function get(url: string, headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: "GET", headers, localAddress: CLIENT }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

const attemptsByAddress = async () => {
  const counts = new Map<string, number>();
  for (const r of await db.signInEvent.findMany({ where: { success: false }, select: { ip: true, count: true } }))
    counts.set(r.ip, (counts.get(r.ip) ?? 0) + r.count);
  return counts;
};

/**
 * Sends a refused API token: the server records the failed authentication (SignInEvent, counted per
 * address) at once, so the address whose count grew is the one the server recorded.
 */
async function recordedAddress(url: string, headers: Record<string, string>): Promise<string[]> {
  const before = await attemptsByAddress();
  const answer = await get(`${url}/api/v1/apis`, { authorization: `Bearer not-a-token`, ...headers });
  expect(answer.status).toBe(401);
  const after = await attemptsByAddress();
  return [...after].filter(([ip, n]) => n !== (before.get(ip) ?? 0)).map(([ip]) => ip);
}

/** NGINX with the usual reverse-proxy headers, in front of the app. */
function startProxy(appPort: number) {
  return startNginx(
    (port) => `  access_log off;
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://127.0.0.1:${appPort};
      proxy_bind 127.0.0.1;
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto https;
      proxy_set_header X-Forwarded-Host ledger.example.org;
    }
  }`,
  );
}

async function useServer(port: number, env: Record<string, string>): Promise<StartedApp> {
  const server = await startAppServer({
    provider: "sqlite",
    port,
    env: { APILEDGER_ADDRESS_RATE_PER_MINUTE: "100000", ...env },
  });
  await disconnectDb();
  process.env.DATABASE_URL = server.databaseUrl;
  process.env.APILEDGER_DATA_DIR = server.dataDir;
  return server;
}

describe.runIf(!!NGINX_BIN)("the source address behind a reverse proxy", () => {
  describe("trusting no proxy (the default)", () => {
    let app: StartedApp;
    beforeAll(async () => {
      app = await useServer(3171, {});
    }, 900_000);
    afterAll(async () => {
      await disconnectDb();
      await app?.stop();
    });

    it("records the socket's address, whatever X-Forwarded-For, X-Real-IP or the internal header claim", async () => {
      expect(
        await recordedAddress(app.url, {
          "x-forwarded-for": "6.6.6.6",
          "x-real-ip": "6.6.6.7",
          "x-apiledger-peer": "6.6.6.8",
        }),
      ).toEqual([CLIENT]);
    });

    it("sets no HSTS for a claimed X-Forwarded-Proto: https", async () => {
      const answer = await get(`${app.url}/api/health`, { "x-forwarded-proto": "https", "x-apiledger-proto": "https" });
      expect(answer.status).toBe(200);
      expect(answer.headers["strict-transport-security"]).toBeUndefined();
    });

    it("keeps an idle connection open past Node's 5 s default, so a proxy reusing it gets no reset", async () => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      const call = () =>
        new Promise<{ status: number; reused: boolean }>((resolve, reject) => {
          const req = http.get(`${app.url}/api/health`, { agent }, (res) => {
            res.resume();
            res.on("end", () => resolve({ status: res.statusCode ?? 0, reused: req.reusedSocket }));
          });
          req.on("error", reject);
        });
      try {
        expect(await call()).toEqual({ status: 200, reused: false });
        await new Promise((r) => setTimeout(r, 6_000));
        // Closed by the server, the agent would have dropped the socket and opened a new one.
        expect(await call()).toEqual({ status: 200, reused: true });
      } finally {
        agent.destroy();
      }
    }, 30_000);
  });

  describe("behind NGINX with APILEDGER_TRUSTED_PROXIES=127.0.0.1/32", () => {
    let app: StartedApp;
    let nginx: { url: string; stop: () => Promise<void> };
    beforeAll(async () => {
      app = await useServer(3172, { APILEDGER_TRUSTED_PROXIES: "127.0.0.1/32" });
      nginx = await startProxy(3172);
    }, 900_000);
    afterAll(async () => {
      await nginx?.stop();
      await disconnectDb();
      await app?.stop();
    });

    it("records the client address NGINX forwards, and believes its scheme (HSTS)", async () => {
      expect(await recordedAddress(nginx.url, {})).toEqual([CLIENT]);
      const answer = await get(`${nginx.url}/api/health`, {});
      expect(answer.headers["strict-transport-security"]).toMatch(/max-age=/);
    });

    it("does not believe a client's X-Forwarded-For beyond the trusted hop", async () => {
      expect(
        await recordedAddress(nginx.url, { "x-forwarded-for": "6.6.6.6, 127.0.0.1", "x-apiledger-peer": "6.6.6.8" }),
      ).toEqual([CLIENT]);
    });

    it("still ignores forwarding headers sent straight to the server by anyone but the proxy", async () => {
      expect(await recordedAddress(app.url, { "x-forwarded-for": "6.6.6.6" })).toEqual([CLIENT]);
      expect(
        (await get(`${app.url}/api/health`, { "x-forwarded-proto": "https" })).headers["strict-transport-security"],
      ).toBeUndefined();
    });

    it("on SIGTERM stops and writes the held REST call log before exiting", async () => {
      const stopped = await app.server.terminate();
      expect(stopped).toBe(true);
      expect(app.server.logTail(20)).toMatch(/"signal":"SIGTERM","msg":"stopping: finishing open requests/);
      // Every REST call above (three, all refused, all from CLIENT) is in the call log.
      expect(await db.apiCallLog.count({ where: { ip: CLIENT } })).toBe(3);
      expect(await db.apiCallLog.count({ where: { ip: { not: CLIENT } } })).toBe(0);
    });
  });
});
