// npm run scan:pack [-- --out DIR]
// Packs the OpenAPI scan as a command other repositories run in their pipelines, with nothing else of
// ApiLedger: lib/cli/scan.ts and what it imports bundled into one file (no dependencies, no database,
// web app or build), in an npm tarball `apiledger-scan-<version>.tgz` whose bin is `apiledger-scan`:
//   npx --yes ./apiledger-scan-0.1.0.tgz scan openapi.yaml --format sarif --out results.sarif
// The tarball is written to DIR (default: the folder the command was started in).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { build } from "esbuild";

const ROOT = path.resolve(import.meta.dirname, "../..");
const args = process.argv.slice(2);
const outIndex = args.indexOf("--out");
const here = process.env.INIT_CWD || process.cwd();
const out = path.resolve(here, outIndex >= 0 && args[outIndex + 1] ? args[outIndex + 1]! : ".");
const app = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
  version: string;
  engines: { node: string };
};

const stage = fs.mkdtempSync(path.join(os.tmpdir(), "apiledger-scan-pack-"));
try {
  await build({
    entryPoints: [path.join(ROOT, "lib/cli/scan.ts")],
    outfile: path.join(stage, "apiledger-scan.mjs"),
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    tsconfig: path.join(ROOT, "tsconfig.json"),
    define: { APILEDGER_SCAN_VERSION: JSON.stringify(app.version) },
    // The YAML parser is CommonJS and requires Node's own modules: give the ES module a require.
    banner: {
      js: '#!/usr/bin/env node\nimport { createRequire as createRequireForBundle } from "node:module";\nconst require = createRequireForBundle(import.meta.url);',
    },
    legalComments: "inline",
    logLevel: "warning",
  });
  fs.chmodSync(path.join(stage, "apiledger-scan.mjs"), 0o755);
  fs.writeFileSync(
    path.join(stage, "package.json"),
    `${JSON.stringify(
      {
        name: "apiledger-scan",
        version: app.version,
        description:
          "ApiLedger's OpenAPI posture scan for CI pipelines: unauthenticated operations (ISM-2013/2014), SARIF for code scanning.",
        license: "UNLICENSED",
        type: "module",
        bin: { "apiledger-scan": "apiledger-scan.mjs" },
        files: ["apiledger-scan.mjs"],
        engines: app.engines,
      },
      null,
      2,
    )}\n`,
  );
  fs.mkdirSync(out, { recursive: true });
  const packed = spawnSync("npm", ["pack", "--pack-destination", out, "--json"], { cwd: stage, encoding: "utf8" });
  if (packed.status !== 0) {
    console.error(packed.stderr);
    process.exit(1);
  }
  const [tarball] = JSON.parse(packed.stdout) as { filename: string }[];
  console.log(path.join(out, tarball!.filename));
} finally {
  fs.rmSync(stage, { recursive: true, force: true });
}
