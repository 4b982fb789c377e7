import { sensitivityRank, type AuthMethod, type Sensitivity } from "@/lib/apis/enums";
import { escapePointer, resolve } from "@/lib/openapi-scan/refs";
import type { Description } from "@/lib/openapi-scan/parse";

// The posture scan of an OpenAPI description: every operation with its effective security, and the
// findings that matter for ISM-2013/2014 (who can call what without authenticating). Pure: the UI, the
// REST API and the CI command (`npm run scan`) all call this.

export const SEVERITIES = ["info", "low", "medium", "high", "critical"] as const;
export type Severity = (typeof SEVERITIES)[number];
export const severityRank = (s: Severity) => SEVERITIES.indexOf(s);

export type ScanContext = {
  sensitivity?: Sensitivity | null;
  readsNonPublic?: boolean | null;
  authMethods?: readonly AuthMethod[];
};
export const SCHEME_KINDS = ["basic", "bearer", "apiKey", "apiKey-query", "oauth2", "oidc", "mtls", "other"] as const;
export type SchemeKind = (typeof SCHEME_KINDS)[number];
export type ScannedOperation = {
  method: string;
  path: string;
  pointer: string;
  security: "required" | "optional" | "none";
  schemes: string[];
};
export type Finding = { rule: string; severity: Severity; pointer: string; message: string };
export type ScanResult = {
  dialect: Description["dialect"];
  title: string;
  operations: ScannedOperation[];
  schemes: { name: string; kind: SchemeKind }[];
  counts: {
    operations: number;
    writes: number;
    unsecured: number;
    unsecuredWrites: number;
    unsecuredReads: number;
    optional: number;
  };
  findings: Finding[];
};

const METHODS_3 = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
const METHODS_2 = ["get", "put", "post", "delete", "options", "head", "patch"];
export const WRITE_METHODS = new Set(["post", "put", "patch", "delete"]);
const READ_METHODS = new Set(["get", "head"]);
const STRONG: readonly AuthMethod[] = ["MTLS", "OAUTH2_CLIENT_CREDENTIALS", "OIDC_JWT", "SIGNED_REQUESTS", "KERBEROS"];
const KIND_TO_METHOD: Record<SchemeKind, AuthMethod[]> = {
  basic: ["BASIC"],
  bearer: ["OAUTH2_CLIENT_CREDENTIALS", "OIDC_JWT"],
  apiKey: ["API_KEY"],
  "apiKey-query": ["API_KEY"],
  oauth2: ["OAUTH2_CLIENT_CREDENTIALS", "OIDC_JWT"],
  oidc: ["OIDC_JWT"],
  mtls: ["MTLS"],
  other: [],
};

type Requirement = Record<string, unknown>;
const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);

function schemeKind(s: Record<string, unknown>): SchemeKind {
  const type = String(s.type ?? "");
  if (type === "basic" || (type === "http" && String(s.scheme ?? "").toLowerCase() === "basic")) return "basic";
  if (type === "http" && String(s.scheme ?? "").toLowerCase() === "bearer") return "bearer";
  if (type === "apiKey") return s.in === "query" ? "apiKey-query" : "apiKey";
  if (type === "oauth2") return "oauth2";
  if (type === "openIdConnect") return "oidc";
  if (type === "mutualTLS") return "mtls";
  return "other";
}

function effective(requirements: unknown): { security: ScannedOperation["security"]; names: string[] } {
  if (!Array.isArray(requirements) || requirements.length === 0) return { security: "none", names: [] };
  const reqs = requirements.filter(isObject) as Requirement[];
  const names = [...new Set(reqs.flatMap((r) => Object.keys(r)))];
  if (reqs.some((r) => Object.keys(r).length === 0)) return { security: "optional", names };
  return { security: names.length ? "required" : "none", names };
}

export function scanDescription(description: Description, context: ScanContext = {}): ScanResult {
  const { doc, dialect } = description;
  const findings: Finding[] = [];
  const rawSchemes =
    (dialect === "swagger-2.0"
      ? doc.securityDefinitions
      : isObject(doc.components)
        ? doc.components.securitySchemes
        : undefined) ?? {};
  const schemes = isObject(rawSchemes)
    ? Object.entries(rawSchemes).map(([name, s]) => {
        const pointer =
          dialect === "swagger-2.0"
            ? `/securityDefinitions/${escapePointer(name)}`
            : `/components/securitySchemes/${escapePointer(name)}`;
        return { name, pointer, kind: schemeKind(resolve<Record<string, unknown>>(doc, s, pointer) ?? {}) };
      })
    : [];
  const schemeByName = new Map(schemes.map((s) => [s.name, s]));
  const used = new Set<string>();
  const operations: ScannedOperation[] = [];
  const methods = dialect === "swagger-2.0" ? METHODS_2 : METHODS_3;
  const rootSecurity = doc.security;
  for (const n of effective(rootSecurity).names) used.add(n);
  const paths = isObject(doc.paths) ? doc.paths : {};
  for (const [path, rawItem] of Object.entries(paths)) {
    const itemPointer = `/paths/${escapePointer(path)}`;
    const item = resolve<Record<string, unknown>>(doc, rawItem, itemPointer);
    if (!isObject(item)) continue;
    for (const method of methods) {
      const op = item[method];
      if (!isObject(op)) continue;
      const pointer = `${itemPointer}/${method}`;
      // The operation's own `security` wins whenever the key is present, even when it is empty.
      const { security, names } = effective("security" in op ? op.security : rootSecurity);
      for (const n of names) used.add(n);
      operations.push({ method: method.toUpperCase(), path, pointer, security, schemes: names });
      for (const n of names) {
        if (!schemeByName.has(n))
          findings.push({
            rule: "undefined-scheme",
            severity: "medium",
            pointer,
            message: `${method.toUpperCase()} ${path} requires security scheme “${n}”, which the description does not define.`,
          });
      }
      const isWrite = WRITE_METHODS.has(method);
      const classified = sensitivityRank(context.sensitivity ?? "UNOFFICIAL") >= sensitivityRank("PROTECTED");
      if (isWrite && security === "none") {
        findings.push({
          rule: "unauthenticated-write",
          severity: classified ? "critical" : "high",
          pointer,
          message: `${method.toUpperCase()} ${path} changes data with no security requirement: anyone who can reach it can call it (ISM-2013).`,
        });
      } else if (isWrite && security === "optional") {
        findings.push({
          rule: "optional-auth-write",
          severity: "high",
          pointer,
          message: `${method.toUpperCase()} ${path} changes data and its security allows anonymous access (an empty {} requirement) (ISM-2013).`,
        });
      } else if (!isWrite && security !== "required" && context.readsNonPublic === true) {
        findings.push({
          rule: "unauthenticated-read-non-public",
          severity: classified ? "critical" : "high",
          pointer,
          message: `${method.toUpperCase()} ${path} can be read without authenticating, on an API recorded as exposing non-public data (ISM-2014).`,
        });
      }
    }
  }
  for (const s of schemes) {
    if (!used.has(s.name))
      findings.push({
        rule: "unused-scheme",
        severity: "low",
        pointer: s.pointer,
        message: `Security scheme “${s.name}” is defined but no operation requires it.`,
      });
  }
  // Plain-HTTP servers on APIs holding OFFICIAL: Sensitive or more.
  if (sensitivityRank(context.sensitivity ?? "UNOFFICIAL") >= sensitivityRank("OFFICIAL_SENSITIVE")) {
    const servers: { url: string; pointer: string }[] = [];
    if (dialect === "swagger-2.0") {
      if (Array.isArray(doc.schemes) && doc.schemes.includes("http"))
        servers.push({ url: `http://${String(doc.host ?? "")}${String(doc.basePath ?? "")}`, pointer: "/schemes" });
    } else {
      const collect = (list: unknown, base: string) =>
        Array.isArray(list) &&
        list.forEach(
          (s, i) =>
            isObject(s) && typeof s.url === "string" && servers.push({ url: s.url, pointer: `${base}/servers/${i}` }),
        );
      collect(doc.servers, "");
      for (const [path, item] of Object.entries(paths))
        if (isObject(item)) collect(item.servers, `/paths/${escapePointer(path)}`);
    }
    for (const s of servers)
      if (/^http:\/\//i.test(s.url))
        findings.push({
          rule: "plain-http-server",
          severity: "high",
          pointer: s.pointer,
          message: `Server ${s.url} is plain HTTP on an API holding ${context.sensitivity} data: credentials and data cross the network unencrypted.`,
        });
  }
  const usedKinds = new Set(schemes.filter((s) => used.has(s.name)).map((s) => s.kind));
  const recorded = (context.authMethods ?? []).filter((m) => m !== "NONE");
  if (recorded.some((m) => STRONG.includes(m))) {
    for (const s of schemes) {
      if (used.has(s.name) && (s.kind === "basic" || s.kind === "apiKey-query")) {
        findings.push({
          rule: "weak-scheme",
          severity: "medium",
          pointer: s.pointer,
          message: `Scheme “${s.name}” is ${s.kind === "basic" ? "HTTP basic authentication" : "an API key in the query string"}, although the inventory records a stronger method (${recorded.join(", ")}).`,
        });
      }
    }
  }
  if (context.authMethods && context.authMethods.length) {
    const declared = [...usedKinds].flatMap((k) => KIND_TO_METHOD[k]);
    const onlyNone = context.authMethods.every((m) => m === "NONE");
    if (onlyNone && usedKinds.size) {
      findings.push({
        rule: "auth-mismatch",
        severity: "medium",
        pointer: "",
        message: `The inventory records no authentication, but the description requires ${[...usedKinds].join(", ")}.`,
      });
    } else if (!onlyNone && usedKinds.size && !recorded.some((m) => declared.includes(m))) {
      findings.push({
        rule: "auth-mismatch",
        severity: "medium",
        pointer: "",
        message: `The inventory records ${recorded.join(", ")}, but the description's schemes are ${[...usedKinds].join(", ")}.`,
      });
    } else if (!onlyNone && recorded.length && usedKinds.size === 0 && operations.length) {
      findings.push({
        rule: "auth-mismatch",
        severity: "medium",
        pointer: "",
        message: `The inventory records ${recorded.join(", ")}, but the description declares no security at all.`,
      });
    }
  }
  const count = (f: (o: ScannedOperation) => boolean) => operations.filter(f).length;
  return {
    dialect,
    title: description.title,
    operations,
    schemes: schemes.map(({ name, kind }) => ({ name, kind })),
    counts: {
      operations: operations.length,
      writes: count((o) => WRITE_METHODS.has(o.method.toLowerCase())),
      unsecured: count((o) => o.security === "none"),
      unsecuredWrites: count((o) => o.security === "none" && WRITE_METHODS.has(o.method.toLowerCase())),
      unsecuredReads: count((o) => o.security === "none" && READ_METHODS.has(o.method.toLowerCase())),
      optional: count((o) => o.security === "optional"),
    },
    findings: findings.sort(
      (a, b) => severityRank(b.severity) - severityRank(a.severity) || a.pointer.localeCompare(b.pointer),
    ),
  };
}
