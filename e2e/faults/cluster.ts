// A private PostgreSQL cluster for the fault suite, so it can be stopped, restarted and killed with
// SIGKILL without disturbing the shared server other tests use. Made with initdb in a temporary
// directory and run as the `postgres` user (PostgreSQL refuses to run as root). Control is
// asynchronous so the workload keeps running, and meeting the outage, while the server goes down.
import { execFile, execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const BIN = process.env.APILEDGER_PG_BIN ?? "/usr/lib/postgresql/15/bin";

export type Cluster = {
  url: (database: string) => string;
  /** Starts it and waits until it accepts connections (after a kill, that includes crash recovery). */
  start: () => Promise<void>;
  /** A clean shutdown: sessions are terminated (57P01), as in a restart for maintenance. */
  stop: () => Promise<void>;
  /** SIGKILL to the postmaster and every backend: what a crash or the OOM killer does. */
  kill: () => Promise<void>;
  destroy: () => Promise<void>;
};

export function postgresAvailable(): boolean {
  return fs.existsSync(path.join(BIN, "initdb")) && process.getuid?.() === 0;
}

export async function createCluster(port: number): Promise<Cluster> {
  const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
  const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "apiledger-faults-pg-"));
  fs.chownSync(dir, uid, gid);
  const data = path.join(dir, "data");
  const asPostgres = async (command: string, args: string[]) => {
    try {
      await promisify(execFile)(path.join(BIN, command), args, { uid, gid, cwd: dir, encoding: "utf8" });
    } catch (error) {
      const e = error as { stdout?: string; stderr?: string };
      throw new Error(`${command} ${args.join(" ")} failed: ${e.stdout ?? ""}${e.stderr ?? ""}`, { cause: error });
    }
  };
  const pgCtl = (...args: string[]) =>
    asPostgres("pg_ctl", ["-D", data, "-l", path.join(dir, "log"), "-w", "-t", "120", ...args]);
  await asPostgres("initdb", ["-D", data, "-A", "trust", "-U", "postgres"]);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=50`;
  const postmasterPid = (): number | null => {
    try {
      return Number(fs.readFileSync(path.join(data, "postmaster.pid"), "utf8").split("\n")[0]);
    } catch {
      return null;
    }
  };
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  // If the suite is stopped, the cluster must not outlive it.
  process.once("exit", () => {
    const pid = postmasterPid();
    if (pid && alive(pid)) process.kill(pid, "SIGKILL");
  });
  const cluster: Cluster = {
    url: (database) => `postgresql://postgres@127.0.0.1:${port}/${database}`,
    start: () => pgCtl("-o", options, "start"),
    stop: () => pgCtl("-m", "fast", "stop"),
    kill: async () => {
      const pid = postmasterPid();
      if (!pid || !alive(pid)) return;
      // The backends by their parent's id: a killed postmaster's children would otherwise hold its
      // shared memory and keep the next start from running crash recovery.
      const children = spawnSync("ps", ["-o", "pid=", "--ppid", String(pid)], { encoding: "utf8" })
        .stdout.split("\n")
        .map(Number)
        .filter((n) => n > 0);
      for (const p of [pid, ...children]) {
        try {
          process.kill(p, "SIGKILL");
        } catch {
          // already gone
        }
      }
      const deadline = Date.now() + 10_000;
      while ([pid, ...children].some(alive) && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 50));
    },
    destroy: async () => {
      try {
        await pgCtl("-m", "immediate", "stop");
      } catch {
        await cluster.kill();
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  await cluster.start();
  return cluster;
}
