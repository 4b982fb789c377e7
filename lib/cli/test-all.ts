// npm test — typecheck, lint (eslint.config.mjs: also the layers' import boundaries) and format check
// (Prettier) first, side by side, then every test: unit and integration (Vitest, SQLite and PostgreSQL), end-to-end (Playwright
// in Chromium), the hostile-input suite (lib/hostile: every entry point attacked on a started server per
// database; alone: npm run test:hostile), the load suite (latency bounds under the largest bodies, run
// alone: npm run test:load), the fault suite (e2e/faults: kills and database outages against a started
// server; alone: npm run test:faults), then the cluster proof (e2e/cluster: two instances and a worker
// behind HAProxy; alone: npm run test:cluster). Stops at the first failing stage; prints each stage's time.
import { ROOT, runForeground } from "@/lib/cli/run";
import { provideChromium } from "@/lib/testing/browser";
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
type Stage = { name: string; commands: string[][] };
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
    ? [stage("tests on the Node.js LTS", ["--import", "tsx", path.join(ROOT, "lib/cli/test-node-lts.ts")])]
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
for (const { name, commands } of stages) {
  console.log(`\n=== ${name} ===`);
  const stageStart = Date.now();
  const stageCpu = cpuTimes();
  const codes = await Promise.all(commands.map((args) => runForeground(process.execPath, args, env)));
  const code = codes.find((c) => c !== 0) ?? 0;
  took.push(`${name}: ${minutes(Date.now() - stageStart)}, CPU ${cpuUse(stageCpu)}`);
  console.log(`=== ${took.at(-1)}${code ? ` (failed, exit ${code})` : ""} ===`);
  if (code !== 0) {
    console.error(`\n${name} failed (exit ${code})\n${took.join("\n")}`);
    process.exit(code);
  }
}
console.log(`\nAll stages passed in ${minutes(Date.now() - started)}:\n${took.map((t) => `  ${t}`).join("\n")}`);
