// Shared by the benchmark scripts: timing statistics, and a production server on a benchmark database
// with a signed-in session, for measuring real page responses.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { ROOT } from "@/lib/cli/run";

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
export async function startSignedInServer(databaseUrl: string, port: number, email: string, password: string) {
  const server = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", "lib/cli/start.ts", "--port", String(port)], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, APILEDGER_DEMO: "0", APILEDGER_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), "apiledger-bench-")), NEXTAUTH_URL: `http://localhost:${port}` },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const base = `http://localhost:${port}`;
  const stop = () => server.kill("SIGTERM");
  try {
    for (let i = 0; ; i++) {
      if (i > 600) throw new Error("server did not start");
      try {
        if ((await fetch(`${base}/api/health`)).ok) break;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    const csrf = await fetch(`${base}/api/auth/csrf`);
    const cookies = csrf.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const login = await fetch(`${base}/api/auth/callback/credentials`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookies },
      body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
    });
    const session = [cookies, ...login.headers.getSetCookie().map((c) => c.split(";")[0])].join("; ");
    return { get: (pathAndQuery: string) => fetch(`${base}${pathAndQuery}`, { headers: { Cookie: session } }), stop };
  } catch (error) {
    stop();
    throw error;
  }
}
