// A real ApiLedger server for suites that attack it over HTTP: `npm start`'s own start script (migrations,
// demo seed, production build if the sources changed, then the server) on a fresh SQLite file or a fresh
// PostgreSQL database, on a port of the caller's choosing.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createTestDatabase } from "@/lib/testing/test-db";
import type { DbProvider } from "@/lib/db-url";

export type AppServer = {
  provider: DbProvider;
  url: string;
  databaseUrl: string;
  dataDir: string;
  /** What the server printed (for a failing test's message). */
  output: () => string;
  stop: () => Promise<void>;
};

const ROOT = path.resolve(import.meta.dirname, "../..");

export async function startAppServer(options: { provider: DbProvider; port: number; env?: Record<string, string> }): Promise<AppServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `apiledger-server-${options.provider}-`));
  const database = options.provider === "postgres" ? await createTestDatabase("postgres") : null;
  const databaseUrl = database?.url ?? `file:${path.join(dataDir, "apiledger.db")}`;
  const url = `http://localhost:${options.port}`;
  let output = "";
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", "lib/cli/start.ts", "--port", String(options.port)], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", DATABASE_URL: databaseUrl, APILEDGER_DATA_DIR: dataDir, NEXTAUTH_URL: url, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));

  const stop = async () => {
    // The start script runs the server as its child: end the whole process group.
    if (child.exitCode === null && child.pid) {
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        /* already gone */
      }
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        /* already gone */
      }
    }
    await database?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };

  // A build on a cold checkout takes minutes; seeding the demo organisation some seconds.
  const deadline = Date.now() + 600_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`The server exited with ${child.exitCode} before it was ready:\n${output}`);
    }
    try {
      const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`The server did not become ready:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return { provider: options.provider, url, databaseUrl, dataDir, output: () => output, stop };
}
