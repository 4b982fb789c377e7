// The app as operators run it — `npm start`'s script (migrations, seed check, start-up cleanup, then the
// server) — in a process group of its own, so SIGKILL reaches every process of it at once, as kill -9
// of a service or a power cut would.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export const ROOT = path.resolve(import.meta.dirname, "../..");

// Servers run detached (their own process group); if the suite itself is stopped, take them along.
const live = new Set<AppServer>();
process.once("exit", () => live.forEach((s) => s.killNow()));
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    live.forEach((s) => s.killNow());
    process.exit(130);
  });
}

export class AppServer {
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  readonly url: string;

  constructor(
    readonly port: number,
    readonly env: NodeJS.ProcessEnv,
    private readonly logFile: string,
  ) {
    this.url = `http://127.0.0.1:${port}`;
  }

  async start(timeoutMs = 600_000): Promise<void> {
    const log = fs.openSync(this.logFile, "a");
    fs.writeSync(log, `\n--- start ${new Date().toISOString()}\n`);
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "--conditions=react-server", "lib/cli/start.ts", "--port", String(this.port)],
      {
        cwd: ROOT,
        env: { ...this.env, NEXTAUTH_URL: this.url.replace("127.0.0.1", "localhost") },
        detached: true,
        stdio: ["ignore", log, log],
      },
    );
    fs.closeSync(log);
    this.child = child;
    live.add(this);
    this.exited = new Promise((resolve) => child.once("exit", () => resolve()));
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (child.exitCode !== null)
        throw new Error(`The server exited during start (${child.exitCode}); see ${this.logFile}:\n${this.logTail()}`);
      try {
        if ((await fetch(`${this.url}/api/health`, { signal: AbortSignal.timeout(2000) })).ok) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline)
        throw new Error(`The server did not start within ${timeoutMs / 1000} s; see ${this.logFile}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /** kill -9 of the whole process group. */
  async kill(): Promise<void> {
    this.killNow();
    await this.exited;
  }

  killNow(): void {
    this.signal("SIGKILL");
    live.delete(this);
  }

  /** A graceful stop (what systemd or `docker stop` sends); resolves when the process group has exited. */
  async terminate(timeoutMs = 30_000): Promise<boolean> {
    this.signal("SIGTERM");
    const stopped = await Promise.race([
      this.exited.then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), timeoutMs)),
    ]);
    if (!stopped) await this.kill();
    return stopped;
  }

  logTail(lines = 40): string {
    return fs.readFileSync(this.logFile, "utf8").split("\n").slice(-lines).join("\n");
  }

  private signal(signal: NodeJS.Signals): void {
    if (!this.child?.pid || this.child.exitCode !== null || this.child.signalCode !== null) return;
    try {
      process.kill(-this.child.pid, signal);
    } catch {
      // already gone
    }
  }
}
