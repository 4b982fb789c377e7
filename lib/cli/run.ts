// Helpers shared by the CLI entry points (run with tsx).
import { spawn, spawnSync } from "node:child_process";
import path from "node:path";

export const ROOT = path.resolve(import.meta.dirname, "../..");

/** Runs the prisma CLI (migrations use the offline WebAssembly engine bridge, see prisma.config.ts). */
export function prisma(args: string[], env: NodeJS.ProcessEnv = process.env): void {
  const result = spawnSync(process.execPath, [path.join(ROOT, "node_modules/prisma/build/index.js"), ...args], {
    cwd: ROOT,
    env,
    stdio: "inherit",
  });
  if (result.status !== 0) throw new Error(`prisma ${args.join(" ")} failed (exit ${result.status})`);
}

/** Starts a long-running child and forwards Ctrl-C / SIGTERM to it; resolves with its exit code. */
export function runForeground(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: "inherit" });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on("SIGINT", forward);
    process.on("SIGTERM", forward);
    child.on("exit", (code, signal) => {
      // Left in place, they would keep this process from stopping on a later signal with no child to take it.
      process.off("SIGINT", forward);
      process.off("SIGTERM", forward);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

export function parseFlags(argv: string[]): Record<string, string | true> {
  const flags: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith("--")) continue;
    const [key, inline] = arg.slice(2).split("=", 2) as [string, string | undefined];
    if (inline !== undefined) flags[key] = inline;
    else if (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith("--")) flags[key] = argv[++i]!;
    else flags[key] = true;
  }
  return flags;
}

export function fail(message: string): never {
  console.error(`error: ${message}`);
  process.exit(1);
}
