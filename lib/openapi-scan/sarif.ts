import { createHash } from "node:crypto";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Finding, ScanResult, Severity } from "@/lib/openapi-scan/scan";

const LEVEL: Record<Severity, "error" | "warning" | "note"> = {
  critical: "error",
  high: "error",
  medium: "warning",
  low: "note",
  info: "note",
};
/** CVSS-like scores as GitHub code scanning reads them: ≥ 9 critical, 7–8.9 high, 4–6.9 medium, < 4 low. */
const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: "9.5",
  high: "8.0",
  medium: "5.5",
  low: "3.0",
  info: "0.0",
};

type Rule = { name: string; short: string; full: string; help: string; severity: Severity };
// Each rule's severity is the highest it reports (on PROTECTED-or-higher data where that matters).
const RULES: Record<string, Rule> = {
  "unauthenticated-write": {
    name: "UnauthenticatedWrite",
    short: "Write operation without authentication (ISM-2013)",
    full: "An operation that changes data (POST, PUT, PATCH, DELETE) has no security requirement, so anyone who can reach the API can call it. ISM-2013 asks that clients of APIs that modify data are authenticated and authorised.",
    help: "Add a security requirement to the operation (or at the root of the description) naming a scheme the API enforces, e.g. mutual TLS or OAuth 2.0 client credentials. If the operation is public by design (a sign-up), record that as an accepted risk in ApiLedger with a reason and an expiry.",
    severity: "critical",
  },
  "optional-auth-write": {
    name: "OptionalAuthenticationWrite",
    short: "Write operation that allows anonymous access (ISM-2013)",
    full: "A write operation's security requirements include an empty alternative ({}), which lets callers skip authentication altogether.",
    help: "Remove the empty {} alternative from the operation's security requirements.",
    severity: "high",
  },
  "unauthenticated-read-non-public": {
    name: "UnauthenticatedNonPublicRead",
    short: "Non-public data readable without authentication (ISM-2014)",
    full: "A read operation of an API recorded as exposing non-public data can be called without authenticating. ISM-2014 asks that clients of APIs exposing non-public data are authenticated and authorised.",
    help: "Require authentication on the operation, or record that the API exposes only public data if that is the case.",
    severity: "critical",
  },
  "undefined-scheme": {
    name: "UndefinedSecurityScheme",
    short: "Security requirement names an undefined scheme",
    full: "An operation requires a security scheme that the description does not define, so tools cannot tell how clients authenticate.",
    help: "Define the scheme under components.securitySchemes (securityDefinitions in Swagger 2.0), or fix the name.",
    severity: "medium",
  },
  "unused-scheme": {
    name: "UnusedSecurityScheme",
    short: "Security scheme defined but never used",
    full: "A security scheme is defined but no operation requires it: either it is left over, or operations that should require it do not.",
    help: "Require the scheme where it applies, or remove it.",
    severity: "low",
  },
  "plain-http-server": {
    name: "PlainHttpServer",
    short: "Plain HTTP server for sensitive data",
    full: "A server URL uses plain HTTP on an API holding OFFICIAL: Sensitive or higher data: credentials and data cross the network unencrypted.",
    help: "Serve the API over HTTPS only and list only https:// server URLs.",
    severity: "high",
  },
  "weak-scheme": {
    name: "WeakAuthenticationScheme",
    short: "Weak authentication where a stronger method is recorded",
    full: "The description uses HTTP basic authentication or an API key in the query string, although the inventory records a stronger method for the API.",
    help: "Describe the method the API really enforces, or move the API to it.",
    severity: "medium",
  },
  "auth-mismatch": {
    name: "AuthenticationMismatch",
    short: "Description and inventory disagree on authentication",
    full: "The authentication the description declares differs from what ApiLedger's inventory records for the API.",
    help: "Correct whichever of the two is wrong, so reviews judge the API on what it really does.",
    severity: "medium",
  },
};

export type SarifTarget = {
  /** The description's absolute path. */
  file: string;
  /** The repository root code-scanning tools resolve %SRCROOT% against (absolute). */
  root: string;
};

/**
 * SARIF 2.1.0 as code-scanning tools (GitHub, GitLab, Azure DevOps) need it: rules with descriptions,
 * help and a security severity; each result at the line of its JSON pointer, in a file named relative
 * to %SRCROOT% (the repository), with a fingerprint that stays the same while the finding does.
 */
export function toSarif(
  result: ScanResult,
  target: SarifTarget,
  lineOf: (pointer: string) => number,
  version: string,
): Record<string, unknown> {
  const rules = Object.keys(RULES);
  const relative = path.relative(target.root, target.file).split(path.sep).join("/");
  const inRoot = relative !== "" && !relative.startsWith("../") && !path.isAbsolute(relative);
  const artifactLocation = inRoot
    ? { uri: encodeURI(relative), uriBaseId: "%SRCROOT%" }
    : { uri: pathToFileURL(target.file).href };
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "ApiLedger OpenAPI posture scan",
            version,
            semanticVersion: version,
            informationUri: "https://apiledger.invalid/docs/scan",
            rules: rules.map((id) => {
              const r = RULES[id]!;
              return {
                id,
                name: r.name,
                shortDescription: { text: r.short },
                fullDescription: { text: r.full },
                help: { text: r.help, markdown: r.help },
                defaultConfiguration: { level: LEVEL[r.severity] },
                properties: { tags: ["security", "openapi"], "security-severity": SECURITY_SEVERITY[r.severity] },
              };
            }),
          },
        },
        ...(inRoot ? { originalUriBaseIds: { "%SRCROOT%": { uri: pathToFileURL(`${target.root}/`).href } } } : {}),
        results: result.findings.map((f: Finding) => ({
          ruleId: f.rule,
          ruleIndex: rules.indexOf(f.rule),
          level: LEVEL[f.severity],
          message: { text: f.message },
          properties: { severity: f.severity, "security-severity": SECURITY_SEVERITY[f.severity] },
          // Rule, place in the description and file: not the line, so an edit elsewhere keeps it.
          partialFingerprints: {
            "apiledgerFinding/v1": createHash("sha256")
              .update(`${f.rule}\u0000${f.pointer}\u0000${artifactLocation.uri}`)
              .digest("hex")
              .slice(0, 32),
          },
          locations: [
            {
              physicalLocation: { artifactLocation, region: { startLine: lineOf(f.pointer) } },
              logicalLocations: [{ fullyQualifiedName: f.pointer || "/", kind: "member" }],
            },
          ],
        })),
      },
    ],
  };
}
