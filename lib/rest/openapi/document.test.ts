import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createConfig, lintFromString } from "@redocly/openapi-core";
import { openApiDocument } from "@/lib/rest/openapi/document";

const ROUTES = path.resolve("app/api/v1");

/** Every route file under app/api/v1 as "METHOD /api/v1/path/{param}". */
function routeHandlers(): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(ROUTES, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || entry.name !== "route.ts") continue;
    const file = path.join(entry.parentPath, entry.name);
    const route =
      "/api/v1/" +
      path
        .relative(ROUTES, entry.parentPath)
        .split(path.sep)
        .map((seg) => seg.replace(/^\[(.+)\]$/, "{$1}"))
        .join("/");
    const source = fs.readFileSync(file, "utf8");
    for (const [, method] of source.matchAll(/export (?:const|async function|function) (GET|POST|PUT|PATCH|DELETE)\b/g))
      out.push(`${method} ${route.replace(/\/$/, "")}`);
  }
  return out.sort();
}

function documented(doc: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const [p, item] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) {
    for (const method of Object.keys(item))
      if (["get", "post", "put", "patch", "delete"].includes(method)) out.push(`${method.toUpperCase()} ${p}`);
  }
  return out.sort();
}

describe("the OpenAPI description", () => {
  it("describes exactly the route handlers that exist", () => {
    expect(documented(openApiDocument())).toEqual(routeHandlers());
  });

  it("passes the Redocly linter's recommended rules with no errors or warnings", async () => {
    // One exception: the description itself (GET /api/v1/openapi.json) is public and cannot fail with
    // a 4xx, so the rule that every operation documents one would only invite a fictitious response.
    const config = await createConfig({ extends: ["recommended"], rules: { "operation-4xx-response": "off" } });
    const strict = await createConfig({ extends: ["recommended"] });
    const only4xx = await lintFromString({
      source: JSON.stringify(openApiDocument()),
      absoluteRef: "openapi.json",
      config: strict,
    });
    expect(only4xx.map((p) => p.location[0]?.pointer)).toEqual(["#/paths/~1api~1v1~1openapi.json/get/responses"]);
    const problems = await lintFromString({
      source: JSON.stringify(openApiDocument()),
      absoluteRef: "openapi.json",
      config,
    });
    expect(problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer ?? ""}`)).toEqual(
      [],
    );
  });
});
