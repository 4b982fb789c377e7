// Shared by the benchmark scripts: timing statistics, and a production server on a benchmark database
// with a signed-in session, for measuring real page responses.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import { once } from "node:events";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import Database from "better-sqlite3";
import pg from "pg";
import { ROOT } from "@/lib/cli/run";
import { copyRows } from "@/lib/audit/bulk-insert";
import { startCheckpointer } from "@/lib/db/sqlite-checkpointer";
import { EVENT_COLUMNS } from "@/lib/events/ingest-events";
import { sqlitePath } from "@/lib/db/db-url";
import type { TestDatabase } from "@/lib/testing/test-db";
import { EMPTY_API_INPUT, type TApiInput } from "@/lib/apis/schemas";
import { AUTH_METHODS, AUTHZ_MODELS, DATA_CATEGORIES, EXPOSURES, LIFECYCLES, SENSITIVITIES } from "@/lib/apis/enums";
import type { Actor } from "@/lib/authz/policy";

/**
 * mulberry32, a seeded generator for benchmark data: successive draws of a plain LCG are correlated,
 * which tied a benchmark's failures to a few clients (thousands of alerts, measured).
 */
export function mulberry32(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

export function stats(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)]!, p95: s[Math.min(s.length - 1, Math.ceil(s.length * 0.95) - 1)]! };
}

/** Runs `fn` warmups + runs times and returns the timings of the measured runs (ms). */
export async function timeRuns(runs: number, fn: (first: boolean) => Promise<void>, warmups = 2): Promise<number[]> {
  const times: number[] = [];
  for (let r = 0; r < runs + warmups; r++) {
    const t0 = performance.now();
    await fn(r === 0);
    if (r >= warmups) times.push(performance.now() - t0);
  }
  return times;
}

/** Starts `npm start`'s server on the database, signs in, and returns a fetch that carries the session. */
export async function startSignedInServer(
  databaseUrl: string,
  port: number,
  email: string,
  password: string,
  extraEnv: Record<string, string> = {},
) {
  const server = spawn(
    process.execPath,
    ["--import", "tsx", "--conditions=react-server", "lib/cli/start.ts", "--port", String(port)],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        APILEDGER_DEMO: "0",
        APILEDGER_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), "apiledger-bench-")),
        NEXTAUTH_URL: `http://localhost:${port}`,
        ...extraEnv,
      },
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
  const base = `http://localhost:${port}`;
  const stop = () => server.kill("SIGTERM");
  try {
    for (let i = 0; ; i++) {
      if (i > 600 || server.exitCode !== null) throw new Error("server did not start");
      try {
        if ((await fetch(`${base}/api/health`)).ok) break;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    const csrf = await fetch(`${base}/api/auth/csrf`);
    const cookies = csrf.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const login = await fetch(`${base}/api/auth/callback/credentials`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookies },
      body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
    });
    const session = [cookies, ...login.headers.getSetCookie().map((c) => c.split(";")[0])].join("; ");
    return {
      base,
      get: (pathAndQuery: string) => fetch(`${base}${pathAndQuery}`, { headers: { Cookie: session } }),
      stop,
      /** Stops the server and waits for it to exit (so the next measurement has the cores to itself). */
      stopped: async () => {
        if (server.exitCode !== null) return;
        const exit = once(server, "exit");
        stop();
        await exit;
      },
    };
  } catch (error) {
    stop();
    throw error;
  }
}

/**
 * Batches of authentication events for the ingestion benchmarks, as a gateway sends them: 3 % failures over
 * 500 clients, 5,000 principals and ~250,000 addresses, spread over `apiIds`. Batch `b` is dated back from now
 * so batches do not overlap. A plain LCG from `seed` (the figures in README were measured with it).
 */
export function authEventBatches(apiIds: string[], size: number, seed: number) {
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  return (b: number) =>
    Array.from({ length: size }, (_, i) => {
      const failed = rand() < 0.03;
      return {
        time: new Date(Date.now() - (b * size + i) * 50).toISOString(),
        api: apiIds[Math.floor(rand() * apiIds.length)]!,
        clientId: `client-${Math.floor(rand() * 500)}`,
        principal: `user-${Math.floor(rand() * 5000)}`,
        outcome: failed ? (rand() < 0.5 ? "authn_failure" : "authz_denied") : "success",
        sourceIp: `10.${Math.floor(rand() * 4)}.${Math.floor(rand() * 250)}.${Math.floor(rand() * 250)}`,
        method: ["GET", "POST", "PUT", "DELETE"][Math.floor(rand() * 4)]!,
        route: `/v1/resource/${Math.floor(rand() * 100)}`,
      };
    });
}

/**
 * Seeds N APIs (20 teams, 50 owners, an admin with `password`) through the audited bulk path, then
 * refreshes planner statistics. DATABASE_URL must already point at `database`.
 */
export async function seedBenchInventory(database: TestDatabase, N: number, password: string) {
  const { createTeam } = await import("@/lib/teams/create-team");
  const { createUser } = await import("@/lib/users/create-user");
  const { bulkCreateApis } = await import("@/lib/apis/bulk-create-apis");
  const system: Actor = { kind: "system", id: null, email: "bench@apiledger" };
  const ctx = { actor: system, ip: "bench" };
  let seed = 42;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const WORDS = [
    "payments",
    "ledger",
    "identity",
    "records",
    "case",
    "search",
    "grants",
    "claims",
    "tax",
    "licence",
    "registry",
    "alerts",
    "metrics",
    "profile",
    "booking",
    "archive",
    "citizen",
    "partner",
    "vault",
    "gateway",
  ];

  const teams: string[] = [];
  for (let t = 0; t < 20; t++) teams.push((await createTeam(ctx, { name: `Team ${t + 1}`, description: "" })).id);
  const owners: string[] = [];
  for (let u = 0; u < 50; u++)
    owners.push(
      (
        await createUser(ctx, {
          email: `owner${u}@bench.example`,
          name: `Owner ${String(u).padStart(2, "0")}`,
          role: "SYSTEM_OWNER",
          teamId: pick(teams),
        })
      ).id,
    );
  const admin = await createUser(
    ctx,
    { email: "admin@bench.example", name: "Bench Admin", role: "ADMIN", teamId: "" },
    { password },
  );
  // The benchmarks sign in with the password alone (they measure reads, not sign-in).
  const { updateSettings } = await import("@/lib/settings/update-settings");
  const { getSettings } = await import("@/lib/settings/queries");
  await updateSettings(ctx, { ...(await getSettings()), mfaRequiredFor: "nobody" });

  const inputs: TApiInput[] = Array.from({ length: N }, (_, i) => {
    const methods =
      rand() < 0.1 ? [] : rand() < 0.08 ? ["NONE" as const] : [pick(AUTH_METHODS.filter((m) => m !== "NONE"))];
    const tri = () => pick(["yes", "no", "yes", "unknown"] as const);
    const logged = tri();
    return {
      ...EMPTY_API_INPUT,
      name: `${pick(WORDS)} ${pick(WORDS)} API ${i}`,
      purpose: `Handles ${pick(WORDS)} and ${pick(WORDS)} for the ${pick(WORDS)} service.`,
      teamId: pick(teams),
      ownerId: rand() < 0.1 ? "" : pick(owners),
      lifecycle: pick(LIFECYCLES),
      exposure: pick(EXPOSURES),
      partnerLinkPrivate: rand() < 0.5,
      modifiesData: tri(),
      readsNonPublic: tri(),
      sensitivity: pick(SENSITIVITIES),
      dataCategories: rand() < 0.5 ? [pick(DATA_CATEGORIES)] : [],
      authMethods: methods,
      authzModel: rand() < 0.1 ? "UNKNOWN" : pick(AUTHZ_MODELS),
      centrallyLogged: logged,
      loggingDestination: logged === "yes" ? "SIEM" : "",
      tags: [pick(WORDS)],
    };
  });

  const t0 = performance.now();
  for (let i = 0; i < inputs.length; i += 5000) await bulkCreateApis(ctx, inputs.slice(i, i + 5000));
  const seedSeconds = (performance.now() - t0) / 1000;
  // With the statistics, VACUUM, CHECKPOINT and sync, ingestion runs stopped swinging between 48,594 and
  // 74,218 events/s (VACUUM alone did not stop it).
  await settleAfterLoad(database);
  return { admin, teams, owners, seedSeconds };
}

/**
 * After a bulk load: planner statistics, as a running installation would have them (PostgreSQL's
 * autovacuum analyses on its own after a load; SQLite only when asked) — maintenance, not a data write —
 * and on PostgreSQL the VACUUM and CHECKPOINT autovacuum would do, so neither lands in a measurement.
 */
export async function settleAfterLoad(database: TestDatabase): Promise<void> {
  if (database.provider === "sqlite") {
    const file = new Database(sqlitePath(database.url));
    file.exec("ANALYZE");
    file.close();
  } else {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    await client.query("VACUUM ANALYZE");
    await client.query("CHECKPOINT");
    await client.end();
  }
  // The kernel's write-back of the seed (hundreds of MB) would otherwise compete with the measured fsyncs.
  spawnSync("sync");
}

/**
 * The ceiling of an ingestion benchmark: the same AuthEvent rows inserted with the database driver alone
 * into an empty copy of the table (same primary key and indexes; SQLite: prepared multi-row INSERTs with
 * the app's settings and checkpoint thread, PostgreSQL: COPY), one transaction per batch. Seconds taken.
 */
export async function driverCeiling(
  provider: "sqlite" | "postgres",
  databaseUrl: string,
  rows: (string | null)[][],
  batchSize: number,
): Promise<number> {
  let seconds: number;
  const COLS = EVENT_COLUMNS.map(([name]) => `"${name}"`).join(",");
  const WIDTH = EVENT_COLUMNS.length;
  if (provider === "sqlite") {
    const file = new Database(sqlitePath(databaseUrl));
    file.pragma("journal_mode = WAL");
    // The app's settings (lib/db/client.ts), so the ceiling differs from the service only in the code path.
    file.pragma("synchronous = FULL");
    file.pragma("cache_size = -65536");
    file.pragma("wal_autocheckpoint = 50000");
    const checkpointer = startCheckpointer(sqlitePath(databaseUrl));
    // The same table, primary key and indexes as AuthEvent, so the ceiling pays the same index upkeep.
    for (const { sql } of file
      .prepare(`SELECT sql FROM sqlite_master WHERE tbl_name = 'AuthEvent' AND sql IS NOT NULL ORDER BY type DESC`)
      .all() as { sql: string }[]) {
      file.exec(sql.replace(/"AuthEvent_/g, '"RawEvent_').replace(/"AuthEvent"/g, '"RawEvent"'));
    }
    const per = Math.floor(32_000 / WIDTH);
    const tuple = `(${Array(WIDTH).fill("?").join(",")})`;
    const stmt = file.prepare(`INSERT INTO "RawEvent" (${COLS}) VALUES ${Array(per).fill(tuple).join(",")}`);
    const t0 = performance.now();
    for (let b = 0; b < rows.length; b += batchSize) {
      const batch = rows.slice(b, b + batchSize);
      file.transaction(() => {
        for (let i = 0; i < batch.length; i += per) {
          const chunk = batch.slice(i, i + per);
          if (chunk.length === per) stmt.run(...chunk.flat());
          else
            file
              .prepare(`INSERT INTO "RawEvent" (${COLS}) VALUES ${Array(chunk.length).fill(tuple).join(",")}`)
              .run(...chunk.flat());
        }
      })();
    }
    seconds = (performance.now() - t0) / 1000;
    await checkpointer.stop();
    file.close();
  } else {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    await client.query(`CREATE TABLE "RawEvent" (LIKE "AuthEvent" INCLUDING ALL)`);
    // The driver's fastest path, as the service uses it: COPY, one transaction per batch.
    const t0 = performance.now();
    for (let b = 0; b < rows.length; b += batchSize) {
      await client.query("BEGIN");
      await copyRows(client, "RawEvent", EVENT_COLUMNS, rows.slice(b, b + batchSize));
      await client.query("COMMIT");
    }
    seconds = (performance.now() - t0) / 1000;
    await client.end();
  }
  return seconds;
}
