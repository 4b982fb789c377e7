// apiledger-scan [scan] openapi.yaml [--sensitivity PROTECTED] [--non-public] [--auth MTLS,OAUTH2_CLIENT_CREDENTIALS]
//   [--fail-on high] [--format text|json|sarif] [--out FILE] [--root DIR]
//   [--publish --server https://apiledger.example --api API_ID]   (token in APILEDGER_TOKEN)
// Scans an OpenAPI description without a server (for CI pipelines). Exit code 1 when a finding at or
// above --fail-on exists, 2 on bad usage or an unreadable description. Paths are the caller's: relative
// to the folder it was started in (also under `npm run scan`, which moves to ApiLedger's own folder).
// The same file is the packed command other repositories run (lib/cli/pack-scan.ts).
import fs from "node:fs";
import path from "node:path";
import { AUTH_METHODS, SENSITIVITIES, type AuthMethod, type Sensitivity } from "@/lib/apis/enums";
import { parseDescription } from "@/lib/openapi-scan/parse";
import { SEVERITIES, scanDescription, severityRank, type Severity } from "@/lib/openapi-scan/scan";
import { pointerLocator } from "@/lib/openapi-scan/locate";
import { toSarif } from "@/lib/openapi-scan/sarif";

const usage =
  "usage: apiledger-scan [scan] FILE [--sensitivity LEVEL] [--non-public] [--auth METHOD,…] [--fail-on SEVERITY] [--format text|json|sarif] [--out FILE] [--root DIR] [--publish --server URL --api ID]";
const die = (message: string): never => {
  console.error(`error: ${message}\n${usage}`);
  process.exit(2);
};

const VALUE_FLAGS = new Set(["sensitivity", "auth", "fail-on", "format", "out", "root", "server", "api"]);
const BOOLEAN_FLAGS = new Set(["non-public", "publish"]);
const flags: Record<string, string | true> = {};
const positional: string[] = [];
// "scan" may come first: `npx ./apiledger-scan-*.tgz scan FILE` reads as the command it is.
const argv = process.argv.slice(2)[0] === "scan" ? process.argv.slice(3) : process.argv.slice(2);
// Where the caller is: npm run and npx say it in INIT_CWD; a bin started directly is already there.
const here = process.env.INIT_CWD || process.cwd();
for (let i = 0; i < argv.length; i++) {
  const arg = argv[i]!;
  if (!arg.startsWith("--")) {
    positional.push(arg);
    continue;
  }
  const [name, inline] = arg.slice(2).split("=", 2) as [string, string | undefined];
  if (BOOLEAN_FLAGS.has(name)) flags[name] = true;
  else if (VALUE_FLAGS.has(name)) flags[name] = inline ?? argv[++i] ?? die(`--${name} needs a value`);
  else die(`unknown option --${name}`);
}
if (positional.length !== 1) die("give exactly one description file");
const file = path.resolve(here, positional[0]!);
const root = path.resolve(here, typeof flags.root === "string" ? flags.root : ".");
const sensitivity = (flags.sensitivity as string | undefined)?.toUpperCase().replace(/[:\s-]+/g, "_");
if (sensitivity && !(SENSITIVITIES as readonly string[]).includes(sensitivity))
  die(`--sensitivity must be one of ${SENSITIVITIES.join(", ")}`);
const auth = typeof flags.auth === "string" ? flags.auth.split(",").map((s) => s.trim().toUpperCase()) : undefined;
if (auth?.some((a) => !(AUTH_METHODS as readonly string[]).includes(a))) die(`--auth takes ${AUTH_METHODS.join(", ")}`);
const failOn = (flags["fail-on"] as string | undefined)?.toLowerCase() ?? "high";
if (!(SEVERITIES as readonly string[]).includes(failOn)) die(`--fail-on must be one of ${SEVERITIES.join(", ")}`);
const format = (flags.format as string | undefined) ?? "text";
if (!["text", "json", "sarif"].includes(format)) die("--format must be text, json or sarif");

let text: string;
try {
  text = fs.readFileSync(file, "utf8");
} catch (error) {
  die(`cannot read ${file}: ${(error as Error).message}`);
}
let result;
try {
  result = scanDescription(parseDescription(text!), {
    sensitivity: (sensitivity as Sensitivity | undefined) ?? null,
    readsNonPublic: flags["non-public"] === true ? true : null,
    authMethods: auth as AuthMethod[] | undefined,
  });
} catch (error) {
  console.error(`error: ${(error as Error).message}`);
  process.exit(2);
}

// Set by the packer (lib/cli/pack-scan.ts); from ApiLedger's package.json otherwise.
declare const APILEDGER_SCAN_VERSION: string | undefined;
const version =
  typeof APILEDGER_SCAN_VERSION === "string"
    ? APILEDGER_SCAN_VERSION
    : (JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, "../../package.json"), "utf8")).version as string);
let output: string;
if (format === "json") output = JSON.stringify(result, null, 2);
else if (format === "sarif")
  output = JSON.stringify(toSarif(result, { file, root }, pointerLocator(text!), version), null, 2);
else {
  const c = result.counts;
  const lines = [
    `${result.title || positional[0]} (${result.dialect}): ${c.operations} operations, ${c.writes} writes; ${c.unsecured} without security (${c.unsecuredWrites} writes, ${c.unsecuredReads} reads); ${c.optional} with optional authentication`,
    ...result.findings.map(
      (f) => `${f.severity.toUpperCase().padEnd(8)} ${f.rule}  ${f.pointer || "/"}\n         ${f.message}`,
    ),
    `${result.findings.length} finding(s); failing on ${failOn} or above.`,
  ];
  output = lines.join("\n");
}
if (typeof flags.out === "string") fs.writeFileSync(path.resolve(here, flags.out), output + "\n");
else console.log(output);

if (flags.publish === true) {
  const server = flags.server;
  const api = flags.api;
  const token = process.env.APILEDGER_TOKEN;
  if (typeof server !== "string" || typeof api !== "string" || !token)
    die("--publish needs --server URL, --api ID and the token in APILEDGER_TOKEN");
  const res = await fetch(new URL(`/api/v1/apis/${encodeURIComponent(api as string)}/openapi`, server as string), {
    method: "PUT",
    headers: {
      Authorization: `Bearer ${token}`,
      "Content-Type": text!.trimStart().startsWith("{") ? "application/json" : "application/yaml",
    },
    body: text!,
  });
  if (!res.ok) {
    console.error(`error: publishing failed: ${res.status} ${(await res.text()).slice(0, 500)}`);
    process.exit(2);
  }
  console.error(`published to ${server} (API ${api})`);
}
process.exit(result.findings.some((f) => severityRank(f.severity) >= severityRank(failOn as Severity)) ? 1 : 0);
