// `npm run scan` as a CI pipeline runs it: a separate process, no server, exit codes and SARIF.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Ajv from "ajv-draft-04";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";

const PETSTORE = path.resolve("../shared/data/openapi/swagger-petstore3-openapi.yaml");
const CRAPI = path.resolve("../shared/data/openapi/crapi-openapi-spec.json");
const SARIF_SCHEMA = path.resolve("../shared/data/schemas/sarif-schema-2.1.0.json");
/** `npm run scan` started in `from` (npm moves to ApiLedger's folder and says where it was in INIT_CWD). */
const scan = (args: string[], from?: string) => {
  const r = spawnSync(process.execPath, ["--import", "tsx", "lib/cli/scan.ts", ...args], {
    encoding: "utf8",
    env: { ...process.env, INIT_CWD: from ?? "" },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

/** The SARIF as OASIS's own schema judges it: the problems, none when valid. */
function sarifProblems(sarif: unknown): string[] {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(fs.readFileSync(SARIF_SCHEMA, "utf8")) as object);
  return validate(sarif) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

type SarifResult = {
  ruleId: string;
  level: string;
  partialFingerprints: Record<string, string>;
  locations: {
    physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: { startLine: number } };
    logicalLocations: { fullyQualifiedName: string }[];
  }[];
};
const resultsOf = (sarif: { runs: { results: SarifResult[] }[] }) => sarif.runs[0]!.results;
const at = (results: SarifResult[], pointer: string) =>
  results.find((x) => x.locations[0]!.logicalLocations[0]!.fullyQualifiedName === pointer)!;

/** A repository of another team: a folder outside ApiLedger with its descriptions under api/. */
function otherRepository(): string {
  const repo = fs.mkdtempSync(path.join(os.tmpdir(), "other-repo-"));
  fs.mkdirSync(path.join(repo, "api"));
  fs.copyFileSync(PETSTORE, path.join(repo, "api/petstore.yaml"));
  fs.copyFileSync(CRAPI, path.join(repo, "api/crapi.json"));
  return repo;
}

describe.runIf(fs.existsSync(PETSTORE) && fs.existsSync(SARIF_SCHEMA))("npm run scan", () => {
  it("fails the pipeline when findings reach the threshold, and passes below it", () => {
    const high = scan([PETSTORE, "--fail-on", "high"]);
    expect(high.code).toBe(1);
    expect(high.out).toMatch(/19 operations, 11 writes; 10 without security \(6 writes, 4 reads\)/);
    expect(high.out).toMatch(/HIGH +unauthenticated-write +\/paths\/~1user\/post/);
    // On OFFICIAL data nothing is critical, so a critical-only gate passes…
    expect(scan([PETSTORE, "--sensitivity", "OFFICIAL", "--fail-on", "critical"]).code).toBe(0);
    // …but on PROTECTED data the same writes are critical.
    expect(scan([PETSTORE, "--sensitivity", "PROTECTED", "--fail-on", "critical"]).code).toBe(1);
  });

  it("writes SARIF 2.1.0 that OASIS's schema accepts, each finding at the line of its operation, relative to the repository", () => {
    const repo = otherRepository();
    const r = scan(["api/petstore.yaml", "--format", "sarif", "--out", "results.sarif"], repo);
    expect(r.code).toBe(1);
    const sarif = JSON.parse(fs.readFileSync(path.join(repo, "results.sarif"), "utf8"));
    expect(sarifProblems(sarif)).toEqual([]);
    expect(sarif.runs[0].originalUriBaseIds).toEqual({ "%SRCROOT%": { uri: `file://${repo}/` } });
    const rules = sarif.runs[0].tool.driver.rules as Record<string, { text?: string } & Record<string, unknown>>[];
    for (const rule of rules) {
      expect(rule.fullDescription!.text!.length, String(rule.id)).toBeGreaterThan(40);
      expect(rule.help!.text!.length, String(rule.id)).toBeGreaterThan(20);
      expect(Number((rule.properties as Record<string, string>)["security-severity"])).toBeGreaterThanOrEqual(0);
    }
    const results = resultsOf(sarif);
    const userPost = at(results, "/paths/~1user/post");
    expect(userPost).toMatchObject({ ruleId: "unauthenticated-write", level: "error" });
    expect(userPost.locations[0]!.physicalLocation.artifactLocation).toEqual({
      uri: "api/petstore.yaml",
      uriBaseId: "%SRCROOT%",
    });
    const lines = fs.readFileSync(PETSTORE, "utf8").split("\n");
    const line = userPost.locations[0]!.physicalLocation.region.startLine;
    expect(lines[line - 1]!.trim()).toBe("post:");
    // The nearest path key above it is /user.
    expect(
      lines
        .slice(0, line)
        .reverse()
        .find((l) => /^ {2}\/\S*:$/.test(l)),
    ).toBe("  /user:");

    // A JSON description: the line of the operation's key in the file as written.
    const json = JSON.parse(scan(["api/crapi.json", "--format", "sarif"], repo).out);
    expect(sarifProblems(json)).toEqual([]);
    const first = resultsOf(json).find((x) => x.ruleId === "unauthenticated-write")!;
    const pointer = first.locations[0]!.logicalLocations[0]!.fullyQualifiedName;
    const method = pointer.split("/").pop()!;
    const jsonLines = fs.readFileSync(CRAPI, "utf8").split("\n");
    expect(jsonLines[first.locations[0]!.physicalLocation.region.startLine - 1]!.trim()).toMatch(
      new RegExp(`^"${method}"\\s*:`),
    );
  });

  it("keeps each finding's fingerprint when the file changes elsewhere", () => {
    const repo = otherRepository();
    const before = resultsOf(JSON.parse(scan(["api/petstore.yaml", "--format", "sarif"], repo).out));
    const file = path.join(repo, "api/petstore.yaml");
    fs.writeFileSync(file, `# Reviewed by the platform team\n${fs.readFileSync(file, "utf8")}`);
    const after = resultsOf(JSON.parse(scan(["api/petstore.yaml", "--format", "sarif"], repo).out));
    expect(after.map((r) => r.partialFingerprints)).toEqual(before.map((r) => r.partialFingerprints));
    expect(new Set(after.map((r) => r.partialFingerprints["apiledgerFinding/v1"])).size).toBe(after.length);
    expect(after.map((r) => r.locations[0]!.physicalLocation.region.startLine)).toEqual(
      before.map((r) => r.locations[0]!.physicalLocation.region.startLine + 1),
    );
  });

  it("packs as a command another repository runs with npx, without ApiLedger", () => {
    const repo = otherRepository();
    const pack = spawnSync(process.execPath, ["--import", "tsx", "lib/cli/pack-scan.ts", "--out", repo], {
      encoding: "utf8",
    });
    expect(pack.status, pack.stderr).toBe(0);
    const tarball = path.basename(pack.stdout.trim());
    expect(tarball).toMatch(/^apiledger-scan-\d+\.\d+\.\d+\.tgz$/);
    // In the other repository, with an npm cache of its own: nothing of ApiLedger is installed or reachable.
    const { INIT_CWD: _started, ...inherited } = process.env;
    const env = { ...inherited, npm_config_cache: fs.mkdtempSync(path.join(os.tmpdir(), "npm-cache-")) };
    const run = (args: string[]) =>
      spawnSync("npx", ["--yes", `./${tarball}`, ...args], { cwd: repo, encoding: "utf8", env });
    const gate = run(["scan", "api/petstore.yaml", "--format", "sarif", "--out", "results.sarif", "--fail-on", "high"]);
    expect(gate.status, gate.stderr).toBe(1);
    const sarif = JSON.parse(fs.readFileSync(path.join(repo, "results.sarif"), "utf8"));
    expect(sarifProblems(sarif)).toEqual([]);
    expect(resultsOf(sarif)[0]!.locations[0]!.physicalLocation.artifactLocation.uri).toBe("api/petstore.yaml");
    expect(run(["api/petstore.yaml", "--fail-on", "critical"]).status).toBe(0);
    expect(run(["api/petstore.yaml", "--sensitivity", "PROTECTED", "--fail-on", "critical"]).status).toBe(1);
    expect(run(["no-such.yaml"]).status).toBe(2);
  });

  it("bad usage and unreadable descriptions exit 2 with a message", () => {
    expect(scan([]).code).toBe(2);
    expect(scan([PETSTORE, "--fail-on", "severe"]).err).toMatch(
      /--fail-on must be one of info, low, medium, high, critical/,
    );
    expect(scan(["/no/such/file.yaml"]).code).toBe(2);
    const tmp = path.join(fs.mkdtempSync("/tmp/scan-"), "external.json");
    fs.writeFileSync(tmp, JSON.stringify({ openapi: "3.0.3", info: {}, paths: { "/a": { $ref: "/etc/passwd" } } }));
    const external = scan([tmp]);
    expect(external.code).toBe(2);
    expect(external.err).toMatch(/External \$ref “\/etc\/passwd”/);
  });
});
