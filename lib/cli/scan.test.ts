// `npm run scan` as a CI pipeline runs it: a separate process, no server, exit codes and SARIF.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const PETSTORE = path.resolve("../shared/data/openapi/swagger-petstore3-openapi.yaml");
const scan = (args: string[]) => {
  const r = spawnSync(process.execPath, ["--import", "tsx", "lib/cli/scan.ts", ...args], { encoding: "utf8" });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

describe.runIf(fs.existsSync(PETSTORE))("npm run scan", () => {
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

  it("writes SARIF 2.1.0 with each finding at the line of its operation", () => {
    const r = scan([PETSTORE, "--format", "sarif"]);
    const sarif = JSON.parse(r.out);
    expect(sarif.version).toBe("2.1.0");
    const results = sarif.runs[0].results as {
      ruleId: string;
      level: string;
      locations: {
        physicalLocation: { region: { startLine: number } };
        logicalLocations: { fullyQualifiedName: string }[];
      }[];
    }[];
    const userPost = results.find(
      (x) => x.locations[0]!.logicalLocations[0]!.fullyQualifiedName === "/paths/~1user/post",
    )!;
    expect(userPost).toMatchObject({ ruleId: "unauthenticated-write", level: "error" });
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
