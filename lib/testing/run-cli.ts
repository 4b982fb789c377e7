import { spawnSync } from "node:child_process";

/** Runs one of the project's CLI commands (`lib/cli/*.ts`) as `npm run` does, in `env`; its output joined. */
export function runCli(script: string, args: string[], env: NodeJS.ProcessEnv): { code: number | null; out: string } {
  const r = spawnSync(process.execPath, ["--import", "tsx", "--conditions=react-server", script, ...args], {
    env,
    encoding: "utf8",
  });
  return { code: r.status, out: r.stdout + r.stderr };
}
