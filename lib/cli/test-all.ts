// npm test — typecheck, lint (eslint.config.mjs: also the layers' import boundaries) and format check
// (Prettier) first, side by side, then every test: unit and integration (Vitest, SQLite and PostgreSQL), end-to-end (Playwright
// in Chromium), the hostile-input suite (lib/hostile: every entry point attacked on a started server per
// database; alone: npm run test:hostile), the load suite (latency bounds under the largest bodies, run
// alone: npm run test:load), the fault suite (e2e/faults: kills and database outages against a started
// server; alone: npm run test:faults), then the cluster proof (e2e/cluster: two instances and a worker
// behind HAProxy; alone: npm run test:cluster). Stops at the first failing stage; prints each stage's time.
import { ROOT, runForeground } from "@/lib/cli/run";
import { provideChromium } from "@/lib/testing/browser";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

// The browser tests' Chromium: Debian's when installed, else the one shipped in an npm package.
const browser = await provideChromium();
console.log(`Chromium for the browser tests (${browser.source}): ${browser.path}`);
// E2E_PROJECTS_SIDE_BY_SIDE: the REST specs on PostgreSQL run beside the UI specs (playwright.config.ts).
const env = {
  ...process.env,
  NEXT_TELEMETRY_DISABLED: "1",
  CHROMIUM_PATH: browser.path,
  E2E_PROJECTS_SIDE_BY_SIDE: "1",
};
const bin = (file: string) => path.join(ROOT, "node_modules", file);
/**
 * A stage may have an install that need not wait for the stages before it: it starts in the background,
 * at the lowest priority, when the stage named `during` starts, its output kept in a file, and the stage
 * waits for it (and prints that output) before its own commands.
 */
type Install = { during: string; args: string[]; log: string; done?: Promise<number> };
type Stage = { name: string; commands: string[][]; install?: Install };
const stage = (name: string, ...commands: string[][]): Stage => ({ name, commands });
const stages: Stage[] = [
  // Read-only checks of the source, independent of each other: run side by side.
  stage(
    "typecheck, lint and format check",
    [bin("typescript/bin/tsc"), "--noEmit"],
    [bin("eslint/bin/eslint.js"), "."],
    [bin("prettier/bin/prettier.cjs"), "--check", "."],
  ),
  stage("unit and integration tests", [bin("vitest/vitest.mjs"), "run"]),
  stage("end-to-end tests", [bin("@playwright/test/cli.js"), "test"]),
  ...(process.env.CI || process.argv.includes("--node-lts")
    ? [
        {
          ...stage("tests on the Node.js LTS", [
            "--import",
            "tsx",
            path.join(ROOT, "lib/cli/test-node-lts.ts"),
            "--installed",
          ]),
          // npm ci in a copy of the tree, with that Node: 2 min, in the cores the browser specs leave idle.
          install: {
            during: "end-to-end tests",
            args: ["--import", "tsx", path.join(ROOT, "lib/cli/test-node-lts.ts"), "--install"],
            log: path.join(ROOT, ".apiledger/node-lts-install.log"),
          },
        },
      ]
    : []),
  stage("hostile-input suite", [bin("vitest/vitest.mjs"), "run", "--config", "vitest.hostile.config.mts"]),
  stage("load suite", [bin("vitest/vitest.mjs"), "run", "--config", "vitest.load.config.mts"]),
  stage("fault suite", [bin("vitest/vitest.mjs"), "run", "--config", "vitest.faults.config.mts"]),
  stage("cluster suite", [bin("vitest/vitest.mjs"), "run", "--config", "vitest.cluster.config.mts"]),
];
// Each stage's time and how busy it kept the machine's cores, printed as it ends and together at the end:
// where CI's minutes go, and which stages leave cores idle that another could use.
const took: string[] = [];
const started = Date.now();
const minutes = (ms: number) => `${(ms / 60_000).toFixed(1)} min`;
const cpuTimes = () =>
  os.cpus().reduce(
    (sum, { times: { user, nice, sys, irq, idle } }) => ({
      busy: sum.busy + user + nice + sys + irq,
      all: sum.all + user + nice + sys + irq + idle,
    }),
    { busy: 0, all: 0 },
  );
const cpuUse = (from: ReturnType<typeof cpuTimes>) => {
  const now = cpuTimes();
  const share = (now.busy - from.busy) / Math.max(1, now.all - from.all);
  return `${Math.round(share * 100)} % of ${os.cpus().length} cores`;
};
/** Runs an install in the background, its output to its log file; resolves with its exit code. */
function startInstall(install: Install): Promise<number> {
  fs.mkdirSync(path.dirname(install.log), { recursive: true });
  const out = fs.openSync(install.log, "w");
  // A session of its own, so that a run that stops early also stops the install's npm (the group's kill
  // below). A new session is also a new scheduler autogroup (Linux), within which alone a nice value
  // counts: so the autogroup's own priority is lowered too, as are the process's CPU and disk priorities,
  // for the install to take what the stage beside it leaves idle rather than slow it (npm ci and
  // better-sqlite3's compile: 2.3 min of CPU). Its CPU still shows in that stage's CPU figure.
  const child = spawn(
    "sh",
    [
      "-c",
      'echo 19 > /proc/self/autogroup 2>/dev/null; exec ionice -c 3 nice -n 19 "$@"',
      "sh",
      process.execPath,
      ...install.args,
    ],
    { cwd: ROOT, env, stdio: ["ignore", out, out], detached: true },
  );
  fs.closeSync(out);
  process.on("exit", () => {
    if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, "SIGTERM");
  });
  return new Promise((resolve) => child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

for (const { name, commands, install } of stages) {
  console.log(`\n=== ${name} ===`);
  const stageStart = Date.now();
  const stageCpu = cpuTimes();
  for (const later of stages)
    if (later.install?.during === name) {
      console.log(`(${later.name}: its install starts now in the background, output in ${later.install.log})`);
      later.install.done = startInstall(later.install);
    }
  let installed = 0;
  if (install) {
    // Nothing runs in the foreground meanwhile: a stop (Ctrl-C, SIGTERM) ends the run, and the install with it.
    const stop = () => process.exit(1);
    process.once("SIGINT", stop).once("SIGTERM", stop);
    installed = await (install.done ?? startInstall(install));
    process.off("SIGINT", stop).off("SIGTERM", stop);
    process.stdout.write(fs.readFileSync(install.log, "utf8"));
  }
  const codes = installed
    ? [installed]
    : await Promise.all(commands.map((args) => runForeground(process.execPath, args, env)));
  const code = codes.find((c) => c !== 0) ?? 0;
  took.push(`${name}: ${minutes(Date.now() - stageStart)}, CPU ${cpuUse(stageCpu)}`);
  console.log(`=== ${took.at(-1)}${code ? ` (failed, exit ${code})` : ""} ===`);
  if (code !== 0) {
    console.error(`\n${name} failed (exit ${code})\n${took.join("\n")}`);
    process.exit(code);
  }
}
console.log(`\nAll stages passed in ${minutes(Date.now() - started)}:\n${took.map((t) => `  ${t}`).join("\n")}`);
