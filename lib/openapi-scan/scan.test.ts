import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { parseDescription } from "@/lib/openapi-scan/parse";
import { scanDescription } from "@/lib/openapi-scan/scan";

const DATA = path.resolve("../shared/data/openapi");
const FILES = fs.existsSync(DATA)
  ? fs
      .readdirSync(DATA)
      .filter((f) => /\.(json|ya?ml)$/.test(f))
      .sort()
  : [];

type Operation = { security?: unknown };
type Description = {
  swagger?: string;
  security?: unknown;
  paths?: Record<string, Record<string, Operation | undefined>>;
};

/** An independent count, written from the OpenAPI rules without the scanner's code. */
function independentCount(text: string) {
  const doc = (text.trimStart().startsWith("{") ? JSON.parse(text) : parseYaml(text)) as Description;
  const methods = doc.swagger
    ? ["get", "put", "post", "delete", "options", "head", "patch"]
    : ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
  let operations = 0,
    writes = 0,
    unsecured = 0,
    unsecuredWrites = 0;
  for (const item of Object.values(doc.paths ?? {})) {
    for (const m of methods) {
      const operation = item[m];
      if (!operation || typeof operation !== "object") continue;
      operations++;
      const isWrite = ["post", "put", "patch", "delete"].includes(m);
      if (isWrite) writes++;
      const sec = Object.prototype.hasOwnProperty.call(operation, "security") ? operation.security : doc.security;
      if (!Array.isArray(sec) || sec.length === 0) {
        unsecured++;
        if (isWrite) unsecuredWrites++;
      }
    }
  }
  return { operations, writes, unsecured, unsecuredWrites };
}

// From ../shared/data/openapi/SOURCES.md (counted by its own script).
const PUBLISHED: Record<string, [number, number, number]> = {
  "alertmanager-api-v2-openapi.yaml": [9, 3, 9],
  "swagger-petstore3-openapi.yaml": [19, 11, 10],
  "crapi-openapi-spec.json": [44, 28, 9],
  "harbor-v2.0-swagger.yaml": [203, 88, 0],
  "argocd-swagger.json": [106, 50, 106],
  "keycloak-admin-23.0.7.json": [316, 160, 0],
  "netbird-management-openapi.yml": [236, 136, 4],
  "vault-openapi.json": [1049, 629, 1049],
};

describe.runIf(FILES.length > 0)("scanning real descriptions of self-hosted services", () => {
  for (const file of FILES) {
    it(`${file}: operations, writes and unsecured operations match an independent count`, () => {
      const text = fs.readFileSync(path.join(DATA, file), "utf8");
      const result = scanDescription(parseDescription(text), {
        sensitivity: "OFFICIAL_SENSITIVE",
        readsNonPublic: true,
      });
      const expected = independentCount(text);
      expect({
        operations: result.counts.operations,
        writes: result.counts.writes,
        unsecured: result.counts.unsecured,
        unsecuredWrites: result.counts.unsecuredWrites,
      }).toEqual(expected);
      expect([result.counts.operations, result.counts.writes, result.counts.unsecured]).toEqual(PUBLISHED[file]);
      expect(result.findings.filter((f) => f.rule === "unauthenticated-write")).toHaveLength(expected.unsecuredWrites);
    });
  }

  it("harbor: the {} alternative makes every operation's authentication optional, and writes are flagged", () => {
    const result = scanDescription(
      parseDescription(fs.readFileSync(path.join(DATA, "harbor-v2.0-swagger.yaml"), "utf8")),
    );
    expect(result.counts.optional).toBe(203);
    expect(result.findings.filter((f) => f.rule === "optional-auth-write")).toHaveLength(88);
  });
});

const petstore = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    openapi: "3.1.0",
    info: { title: "Pets", version: "1" },
    servers: [{ url: "http://pets.internal.example" }],
    security: [{ mtls: [] }],
    paths: {
      "/pets": { get: { security: [], responses: {} }, post: { responses: {} } },
      "/pets/{id}": { $ref: "#/components/pathItems/pet" },
    },
    components: {
      securitySchemes: {
        mtls: { type: "mutualTLS" },
        key: { type: "apiKey", in: "query", name: "k" },
        legacy: { type: "http", scheme: "basic" },
      },
      pathItems: { pet: { delete: { security: [{ key: [] }], responses: {} } } },
    },
    ...extra,
  });

describe("scan findings", () => {
  it("operation-level security overrides the root one; security: [] means none; path-item $refs are followed", () => {
    const r = scanDescription(parseDescription(petstore()), {
      sensitivity: "PROTECTED",
      readsNonPublic: true,
      authMethods: ["MTLS"],
    });
    expect(r.operations.map((o) => [o.method, o.path, o.security, o.schemes])).toEqual([
      ["GET", "/pets", "none", []],
      ["POST", "/pets", "required", ["mtls"]],
      ["DELETE", "/pets/{id}", "required", ["key"]],
    ]);
    expect(r.findings.map((f) => [f.rule, f.severity, f.pointer])).toEqual([
      ["unauthenticated-read-non-public", "critical", "/paths/~1pets/get"],
      ["plain-http-server", "high", "/servers/0"],
      ["weak-scheme", "medium", "/components/securitySchemes/key"],
      ["unused-scheme", "low", "/components/securitySchemes/legacy"],
    ]);
  });

  it("an unauthenticated write is high, critical on PROTECTED data; the inventory's method is compared", () => {
    const doc = petstore({ security: undefined });
    expect(
      scanDescription(parseDescription(doc), { sensitivity: "OFFICIAL" }).findings.find(
        (f) => f.rule === "unauthenticated-write",
      ),
    ).toMatchObject({ severity: "high", pointer: "/paths/~1pets/post" });
    expect(
      scanDescription(parseDescription(doc), { sensitivity: "SECRET" }).findings.find(
        (f) => f.rule === "unauthenticated-write",
      )?.severity,
    ).toBe("critical");
    const mismatch = scanDescription(parseDescription(doc), {
      authMethods: ["OAUTH2_CLIENT_CREDENTIALS"],
    }).findings.find((f) => f.rule === "auth-mismatch");
    expect(mismatch?.message).toBe(
      "The inventory records OAUTH2_CLIENT_CREDENTIALS, but the description's schemes are apiKey-query.",
    );
  });

  it("refuses external and circular references, malformed text and non-OpenAPI documents with a clear message", () => {
    const messageOf = (text: string) => {
      try {
        scanDescription(parseDescription(text));
        return "scanned";
      } catch (error) {
        return (error as Error).message;
      }
    };
    expect(
      messageOf(JSON.stringify({ openapi: "3.0.3", info: {}, paths: { "/a": { $ref: "./paths.yaml#/a" } } })),
    ).toMatch(/External \$ref “\.\/paths\.yaml#\/a” at \/paths\/~1a is not accepted/);
    expect(
      messageOf(
        JSON.stringify({
          openapi: "3.0.3",
          info: {},
          paths: { "/a": { $ref: "http://169.254.169.254/latest/meta-data" } },
        }),
      ),
    ).toMatch(/External \$ref/);
    expect(
      messageOf(
        JSON.stringify({
          openapi: "3.1.0",
          info: {},
          paths: { "/a": { $ref: "#/components/pathItems/x" } },
          components: {
            pathItems: { x: { $ref: "#/components/pathItems/y" }, y: { $ref: "#/components/pathItems/x" } },
          },
        }),
      ),
    ).toMatch(/Circular \$ref at \/paths\/~1a/);
    expect(messageOf("{ not json")).toMatch(/not valid JSON/);
    expect(messageOf("openapi: [unclosed")).toMatch(/not valid YAML/);
    // "Billion laughs": nested aliases that would expand to 10^9 strings are refused, not expanded.
    let laughs = 'l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
    for (let i = 1; i < 10; i++)
      laughs += `l${i}: &l${i} [${Array(9)
        .fill(`*l${i - 1}`)
        .join(",")}]\n`;
    expect(messageOf(`${laughs}openapi: 3.0.0\n`)).toMatch(/not valid YAML: Excessive alias count/);
    expect(messageOf(JSON.stringify({ asyncapi: "2.6.0" }))).toBe(
      "Not an OpenAPI 2.0, 3.0 or 3.1 description (found no openapi or swagger field).",
    );
  });
});

describe("hostile descriptions", () => {
  it("refuses a value that cannot be stored (a lone surrogate or NUL from a JSON or YAML escape) and a title that would display falsely", () => {
    const doc = (title: string, summary: string) =>
      JSON.stringify({
        openapi: "3.0.3",
        info: { title, version: "1" },
        paths: { "/x": { get: { summary, responses: { "200": { description: "ok" } } } } },
      });
    expect(() => parseDescription(doc("Fine", "bad \uD800"))).toThrow(
      "The description cannot be accepted: at paths./x.get.summary, summary contains an invalid character (a lone UTF-16 surrogate).",
    );
    expect(() =>
      parseDescription(
        'openapi: 3.0.3\ninfo: {title: T, version: "1"}\npaths:\n  /x:\n    get:\n      summary: "nul \\0 here"\n',
      ),
    ).toThrow(/summary contains a NUL character/);
    expect(() => parseDescription(doc("Invoice\u202Egpj.exe", "fine"))).toThrow(
      /info\.title\) contains a bidirectional control character \(U\+202E\)/,
    );
    // Another author's odd characters are theirs to keep (the NetBird description has YAML's "\N" = U+0085).
    expect(parseDescription(doc("Re\u0301sume\u0301", "next\u0085line")).title).toBe("Résumé");
  });
});

describe("external references", () => {
  it("are refused anywhere in the document, not only where the scan looks", () => {
    const base = { openapi: "3.0.3", info: { title: "T", version: "1" }, paths: {} };
    // An unused component and a vendor extension: the scan never walks either.
    expect(() =>
      parseDescription(
        JSON.stringify({ ...base, components: { schemas: { Unused: { $ref: "https://evil.example/schema.json" } } } }),
      ),
    ).toThrow("External $ref “https://evil.example/schema.json” at /components/schemas/Unused is not accepted");
    expect(() =>
      parseDescription(JSON.stringify({ ...base, "x-tool": [{ nested: { $ref: "../../../etc/passwd" } }] })),
    ).toThrow("at /x-tool/0/nested is not accepted");
    expect(
      parseDescription(
        JSON.stringify({
          ...base,
          components: { schemas: { A: { $ref: "#/components/schemas/B" }, B: { type: "string" } } },
        }),
      ).title,
    ).toBe("T");
  });
});
