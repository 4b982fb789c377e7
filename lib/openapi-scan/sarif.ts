import type { Finding, ScanResult, Severity } from "@/lib/openapi-scan/scan";

const LEVEL: Record<Severity, "error" | "warning" | "note"> = {
  critical: "error",
  high: "error",
  medium: "warning",
  low: "note",
  info: "note",
};
const RULES: Record<string, string> = {
  "unauthenticated-write": "Write operation without authentication (ISM-2013)",
  "optional-auth-write": "Write operation that allows anonymous access (ISM-2013)",
  "unauthenticated-read-non-public": "Non-public data readable without authentication (ISM-2014)",
  "undefined-scheme": "Security requirement names an undefined scheme",
  "unused-scheme": "Security scheme defined but never used",
  "plain-http-server": "Plain HTTP server for sensitive data",
  "weak-scheme": "Weak authentication where a stronger method is recorded",
  "auth-mismatch": "Description and inventory disagree on authentication",
};

/** SARIF 2.1.0, the format code-scanning tools (GitHub, GitLab, Azure DevOps) import. */
export function toSarif(
  result: ScanResult,
  fileUri: string,
  lineOf: (pointer: string) => number,
  version: string,
): Record<string, unknown> {
  const rules = Object.keys(RULES);
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "ApiLedger OpenAPI posture scan",
            version,
            informationUri: "https://apiledger.invalid/docs/scan",
            rules: rules.map((id) => ({ id, shortDescription: { text: RULES[id] } })),
          },
        },
        results: result.findings.map((f: Finding) => ({
          ruleId: f.rule,
          ruleIndex: rules.indexOf(f.rule),
          level: LEVEL[f.severity],
          message: { text: f.message },
          properties: { severity: f.severity },
          locations: [
            {
              physicalLocation: { artifactLocation: { uri: fileUri }, region: { startLine: lineOf(f.pointer) } },
              logicalLocations: [{ fullyQualifiedName: f.pointer || "/", kind: "member" }],
            },
          ],
        })),
      },
    ],
  };
}
