// The routes an OpenAPI description's servers and paths stand for: real third-party descriptions from
// ../shared/data/openapi (never copied here), then descriptions written to break it.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseDescription } from "@/lib/openapi-scan/parse";
import {
  commonPathPrefix,
  descriptionRoutes,
  MAX_DESCRIPTION_ROUTES,
  routeOfUrl,
  storedRoutes,
} from "@/lib/openapi-scan/description-routes";

const DATA = path.resolve("../shared/data/openapi");
const read = (file: string) => parseDescription(fs.readFileSync(path.join(DATA, file), "utf8")).doc;

// Read off each file by hand: its servers (or Swagger 2.0 host and basePath) and what all its paths share.
const EXPECTED: Record<string, { host: string; pathPrefix: string }[]> = {
  // Swagger 2.0 with a basePath but no host: served wherever the description is, nothing to suggest.
  "alertmanager-api-v2-openapi.yaml": [],
  // Swagger 2.0 with neither host nor basePath.
  "argocd-swagger.json": [],
  // One server, no path; the paths share nothing (/identity, /workshop, /community).
  "crapi-openapi-spec.json": [{ host: "localhost", pathPrefix: "" }],
  // host: localhost, basePath: /api/v2.0, schemes http and https (one route); paths share nothing.
  "harbor-v2.0-swagger.yaml": [{ host: "localhost", pathPrefix: "/api/v2.0" }],
  // The server has a path; the paths start "/" and "/{realm}", so they narrow nothing.
  "keycloak-admin-23.0.7.json": [{ host: "keycloak.example.com", pathPrefix: "/admin/realms" }],
  // A bare host; every path starts /api.
  "netbird-management-openapi.yml": [{ host: "api.netbird.io", pathPrefix: "/api" }],
  "swagger-petstore3-openapi.yaml": [{ host: "petstore3.swagger.io", pathPrefix: "/api/v3" }],
  // OpenAPI 3 without servers: the default server is "/", relative.
  "vault-openapi.json": [],
};

describe.runIf(fs.existsSync(DATA))("routes of real descriptions", () => {
  for (const [file, expected] of Object.entries(EXPECTED)) {
    it(`${file}: its servers and the prefix its paths share`, () => {
      const doc = read(file);
      const routes = descriptionRoutes(doc);
      expect(routes).toEqual(expected);
      // Independently of how it was found: every path lies under the narrowed prefix.
      const narrowing = commonPathPrefix(doc.paths);
      for (const key of Object.keys(doc.paths as object).filter((k) => k.startsWith("/")))
        expect(key === narrowing || key.startsWith(`${narrowing}/`)).toBe(true);
      expect(storedRoutes(JSON.stringify(routes))).toEqual(routes);
    });
  }

  it("every file of the folder is covered above", () => {
    expect(
      fs
        .readdirSync(DATA)
        .filter((f) => /\.(json|ya?ml)$/.test(f))
        .sort(),
    ).toEqual(Object.keys(EXPECTED).sort());
  });
});

const openapi = (servers: unknown, paths: Record<string, unknown> = { "/x": {} }) => ({
  openapi: "3.1.0",
  servers,
  paths,
});
const urls = (...list: string[]) => openapi(list.map((url) => ({ url })));

describe("servers", () => {
  it("takes each absolute http(s) server's host, lowercased, and path; a repeat once", () => {
    expect(
      descriptionRoutes(
        urls(
          "HTTPS://API.Example.COM:8443/v1/?q=1#frag",
          "http://api.example.com/v1",
          "https://[2001:DB8::1]/",
          "https://bücher.example/",
        ),
      ),
    ).toEqual([
      { host: "api.example.com", pathPrefix: "/v1/x" },
      { host: "2001:db8::1", pathPrefix: "/x" },
      { host: "xn--bcher-kva.example", pathPrefix: "/x" },
    ]);
  });

  it("skips relative servers and every scheme but http and https", () => {
    expect(
      descriptionRoutes(
        urls(
          "/v2",
          "v2",
          "",
          "//cdn.example/v2",
          "javascript:alert(1)//https://x.example/",
          "JavaScript:alert(1)",
          "data:text/html,<script>alert(1)</script>",
          "file:///etc/passwd",
          "ftp://files.example/",
          "wss://socket.example/",
        ),
      ),
    ).toEqual([]);
    expect(descriptionRoutes(openapi("https://not-a-list.example/"))).toEqual([]);
    expect(descriptionRoutes(openapi([null, 7, "https://a.example/", { url: 42 }, []]))).toEqual([]);
  });

  it("substitutes each {variable} with its default, enum or not; without a default the server is skipped", () => {
    expect(
      descriptionRoutes(
        openapi([
          {
            url: "{scheme}://{tenant}.api.example.com:{port}/{basePath}",
            variables: {
              scheme: { default: "https", enum: ["https", "http"] },
              tenant: { default: "acme", enum: ["other"] },
              port: { default: "443" },
              basePath: { default: "v2" },
            },
          },
          { url: "https://{region}.example.com/", variables: { region: { enum: ["eu", "us"] } } },
          { url: "https://{undeclared}.example.com/" },
          { url: "https://{constructor}.example.com/", variables: {} },
          { url: "https://{__proto__}.example.com/", variables: JSON.parse('{"__proto__": {"default": "x"}}') },
          { url: "https://{n}.example.com/", variables: { n: { default: 5 } } },
          { url: "https://{a{b}}.example.com/", variables: { b: { default: "b" } } },
        ]),
      ),
    ).toEqual([
      { host: "acme.api.example.com", pathPrefix: "/v2/x" },
      // JSON's "__proto__" is an own key like any other.
      { host: "x.example.com", pathPrefix: "/x" },
    ]);
  });

  it("Swagger 2.0: host and basePath, with http or https among the schemes or none listed", () => {
    const swagger = (over: Record<string, unknown>) => ({ swagger: "2.0", paths: { "/a/b": {}, "/a/c": {} }, ...over });
    expect(descriptionRoutes(swagger({ host: "Gw.Example:8080", basePath: "/base/" }))).toEqual([
      { host: "gw.example", pathPrefix: "/base/a" },
    ]);
    expect(descriptionRoutes(swagger({ host: "gw.example", schemes: ["wss"] }))).toEqual([]);
    expect(descriptionRoutes(swagger({ host: "gw.example", schemes: ["ws", "HTTP"] }))).toEqual([
      { host: "gw.example", pathPrefix: "/a" },
    ]);
    for (const host of ["evil.example@gw.example", "gw.example/x", "gw example", "", 7, undefined])
      expect(descriptionRoutes(swagger({ host }))).toEqual([]);
    expect(descriptionRoutes(swagger({ host: "gw.example", basePath: "relative" }))).toEqual([
      { host: "gw.example", pathPrefix: "/a" },
    ]);
  });

  it("base URLs read the same way (routeOfUrl)", () => {
    expect(routeOfUrl("https://ledger.example.gov.au/")).toEqual({ host: "ledger.example.gov.au", pathPrefix: "" });
    expect(routeOfUrl("https://ledger.example.gov.au/a%20b/")).toEqual({
      host: "ledger.example.gov.au",
      pathPrefix: "/a b",
    });
    expect(routeOfUrl("not a url")).toBeNull();
  });
});

describe("paths", () => {
  it("narrows by the literal segments every path shares, up to the first {template}", () => {
    expect(commonPathPrefix({ "/v1/orders": {}, "/v1/orders/{id}": {}, "/v1/orders/{id}/lines": {} })).toBe(
      "/v1/orders",
    );
    expect(commonPathPrefix({ "/v1/orders": {}, "/v1/ordersx": {} })).toBe("/v1");
    expect(commonPathPrefix({ "/{tenant}/orders": {}, "/{tenant}/lines": {} })).toBe("");
    expect(commonPathPrefix({ "/files/{name}.json": {}, "/files/index.json": {} })).toBe("/files");
    expect(commonPathPrefix({ "/": {}, "/a": {} })).toBe("");
    expect(commonPathPrefix({ "/only/one/path": {} })).toBe("/only/one/path");
    expect(commonPathPrefix({ "x-extension": {}, "/a/b": {}, "/a//c/": {} })).toBe("/a");
    expect(commonPathPrefix({ "/a/../b": {} })).toBe("/a");
    expect(commonPathPrefix({ "/search?q=1": {}, "/search/x": {} })).toBe("");
    expect(commonPathPrefix({ "/with space/x": {} })).toBe("");
    expect(commonPathPrefix({})).toBe("");
    expect(commonPathPrefix(null)).toBe("");
    expect(commonPathPrefix(["/a"])).toBe("");
  });

  it("a narrowing past a rule's 200 characters is left off; a server path past them is skipped", () => {
    const long = `/${"s".repeat(150)}`;
    expect(descriptionRoutes(openapi([{ url: `https://a.example${long}` }], { [`${long}/x`]: {} }))).toEqual([
      { host: "a.example", pathPrefix: long },
    ]);
    expect(descriptionRoutes(urls(`https://a.example/${"s".repeat(201)}`))).toEqual([]);
    expect(descriptionRoutes(urls(`https://${"a.".repeat(150)}example/`))).toEqual([]);
  });
});

describe("hostile descriptions", () => {
  it("refuses servers with lone surrogates, NUL, other controls, bidi controls or invisible characters", () => {
    const bad = [
      "https://a\uD800.example/",
      "https://a.example/x\uDC00",
      "https://a.example/%ED%A0%80",
      "https://a\u0000.example/",
      "https://a.example/\u0000",
      "https://a.example/x\u0007",
      "https://ex\tample.example/",
      "https://a.example/\n/x",
      "https://a.example/\u202Egnp.exe",
      "https://a.example/%E2%80%AEx",
      "https://a\u2066.example/",
      "https://a.example/\u200Fx",
      "https://exa\u00ADmple.example/",
      "https://a.example/\u200Bx",
    ];
    expect(descriptionRoutes(urls(...bad))).toEqual([]);
    for (const url of bad) expect(routeOfUrl(url)).toBeNull();
  });

  it("stops narrowing at a path segment with such characters", () => {
    const servers = [{ url: "https://a.example" }];
    expect(descriptionRoutes(openapi(servers, { "/api/\u202Eevil/x": {}, "/api/\u202Eevil/y": {} }))).toEqual([
      { host: "a.example", pathPrefix: "/api" },
    ]);
    expect(descriptionRoutes(openapi(servers, { "/api\uD800/x": {} }))).toEqual([
      { host: "a.example", pathPrefix: "" },
    ]);
    expect(descriptionRoutes(openapi(servers, { "/api\u0000/x": {} }))).toEqual([
      { host: "a.example", pathPrefix: "" },
    ]);
  });

  it("10,000 servers: at most 20 routes, and only the first 100 servers are read", () => {
    const many = Array.from({ length: 10_000 }, (_, i) => ({ url: `https://h${i}.example/` }));
    const routes = descriptionRoutes(openapi(many));
    expect(routes).toHaveLength(MAX_DESCRIPTION_ROUTES);
    expect(routes[19]).toEqual({ host: "h19.example", pathPrefix: "/x" });
    const hidden = [...Array.from({ length: 100 }, () => ({ url: "/relative" })), { url: "https://late.example/" }];
    expect(descriptionRoutes(openapi(hidden))).toEqual([]);
    const same = Array.from({ length: 10_000 }, () => ({ url: "https://same.example/" }));
    expect(descriptionRoutes(openapi(same))).toEqual([{ host: "same.example", pathPrefix: "/x" }]);
  });

  it("a huge paths object is read in one pass", () => {
    const shared: Record<string, unknown> = {};
    for (let i = 0; i < 200_000; i++) shared[`/api/v1/r${i % 1000}/{id}/s${i}`] = {};
    const started = performance.now();
    expect(descriptionRoutes(openapi([{ url: "https://a.example" }], shared))).toEqual([
      { host: "a.example", pathPrefix: "/api/v1" },
    ]);
    const longKeys: Record<string, unknown> = {};
    for (let i = 0; i < 1000; i++) longKeys[`/${"seg/".repeat(1000)}${i}`] = {};
    expect(commonPathPrefix(longKeys)).toBe(`/${"seg/".repeat(999)}seg`);
    // Generous: the point is linear work, not a benchmark (about 0.3 s here).
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it("stored routes are read back defensively", () => {
    expect(storedRoutes("not json")).toBeNull();
    expect(storedRoutes('{"host":"a"}')).toBeNull();
    expect(
      storedRoutes(
        JSON.stringify([
          { host: "a.example", pathPrefix: "/x" },
          { host: "b.example" },
          { host: 1, pathPrefix: "" },
          null,
          { host: "c.example", pathPrefix: "/\u202Ex" },
          { host: "", pathPrefix: "/y" },
        ]),
      ),
    ).toEqual([{ host: "a.example", pathPrefix: "/x" }]);
    const many = Array.from({ length: 50 }, (_, i) => ({ host: `h${i}.example`, pathPrefix: "" }));
    expect(storedRoutes(JSON.stringify(many))).toHaveLength(MAX_DESCRIPTION_ROUTES);
  });
});

describe("client-safe", () => {
  it("imports nothing server-only, directly or through what it imports", () => {
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const source = fs.readFileSync(file, "utf8");
      expect(source, file).not.toMatch(/import\s+["']server-only["']|from\s+["']node:/);
      for (const [, target] of source.matchAll(/from\s+["']@\/([^"']+)["']/g))
        visit(["ts", "tsx"].map((ext) => `${target}.${ext}`).find((f) => fs.existsSync(f)) ?? `${target}.ts`);
    };
    visit("lib/openapi-scan/description-routes.ts");
    expect(seen.size).toBeGreaterThan(1);
  });
});
