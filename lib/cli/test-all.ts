// npm test — typecheck, lint (eslint.config.mjs: also the layers' import boundaries) and format check
// (Prettier) first, then every test: unit and integration (Vitest, SQLite and PostgreSQL), end-to-end (Playwright
// in Chromium), the hostile-input suite (lib/hostile: every entry point attacked on a started server per
// database; alone: npm run test:hostile), the load suite (latency bounds under the largest bodies, run
// alone: npm run test:load), then the fault suite (e2e/faults: kills and database outages
// against a started server; alone: npm run test:faults). Stops at the first failing stage.
import { ROOT, runForeground } from "@/lib/cli/run";
import { provideChromium } from "@/lib/testing/browser";
import path from "node:path";

// The browser tests' Chromium: Debian's when installed, else the one shipped in an npm package.
const browser = await provideChromium();
console.log(`Chromium for the browser tests (${browser.source}): ${browser.path}`);
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", CHROMIUM_PATH: browser.path };
const stages: [string, string[]][] = [
  ["typecheck", [path.join(ROOT, "node_modules/typescript/bin/tsc"), "--noEmit"]],
  ["lint", [path.join(ROOT, "node_modules/eslint/bin/eslint.js"), "."]],
  ["format check", [path.join(ROOT, "node_modules/prettier/bin/prettier.cjs"), "--check", "."]],
  ["unit and integration tests", [path.join(ROOT, "node_modules/vitest/vitest.mjs"), "run"]],
  ["end-to-end tests", [path.join(ROOT, "node_modules/@playwright/test/cli.js"), "test"]],
  ...(process.env.CI || process.argv.includes("--node-lts")
    ? ([["tests on the Node.js LTS", ["--import", "tsx", path.join(ROOT, "lib/cli/test-node-lts.ts")]]] as [
        string,
        string[],
      ][])
    : []),
  [
    "hostile-input suite",
    [path.join(ROOT, "node_modules/vitest/vitest.mjs"), "run", "--config", "vitest.hostile.config.mts"],
  ],
  ["load suite", [path.join(ROOT, "node_modules/vitest/vitest.mjs"), "run", "--config", "vitest.load.config.mts"]],
  ["fault suite", [path.join(ROOT, "node_modules/vitest/vitest.mjs"), "run", "--config", "vitest.faults.config.mts"]],
];
for (const [name, args] of stages) {
  console.log(`\n=== ${name} ===`);
  const code = await runForeground(process.execPath, args, env);
  if (code !== 0) {
    console.error(`\n${name} failed (exit ${code})`);
    process.exit(code);
  }
}
