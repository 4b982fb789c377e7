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

/**
 * Every object schema a response can hold, as "where: what is open about it": an object must list its
 * properties with additionalProperties: false, or say what its values are (a map); anything else would
 * let a response gain a field without the contract suite noticing.
 */
function openResponseObjects(doc: Record<string, unknown>): string[] {
  const schemas = (doc.components as { schemas: Record<string, unknown> }).schemas;
  const open: string[] = [];
  const seen = new Set<unknown>();
  const walk = (schema: unknown, where: string): void => {
    if (!schema || typeof schema !== "object" || seen.has(schema)) return;
    seen.add(schema);
    if (Array.isArray(schema)) return schema.forEach((s, i) => walk(s, `${where}/${i}`));
    const s = schema as Record<string, unknown>;
    const ref = s.$ref as string | undefined;
    if (ref) return walk(schemas[ref.split("/").pop()!], ref);
    const types = [s.type].flat();
    if (types.includes("object") && s.additionalProperties !== false && typeof s.additionalProperties !== "object")
      open.push(`${where}: ${s.properties ? "additionalProperties is not false" : "no properties"}`);
    if (s.properties && Object.keys(s.properties).some((k) => !(s.required as string[] | undefined)?.includes(k)))
      open.push(`${where}: not every property is required`);
    for (const [k, v] of Object.entries(s)) walk(v, `${where}/${k}`);
  };
  for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, unknown>>))
    for (const [method, op] of Object.entries(item)) {
      const responses = (op as { responses?: Record<string, { content?: Record<string, { schema?: unknown }> }> })
        .responses;
      for (const [status, r] of Object.entries(responses ?? {}))
        for (const [type, media] of Object.entries(r.content ?? {}))
          walk(media.schema, `${method.toUpperCase()} ${path} ${status} ${type}`);
    }
  for (const r of Object.values((doc.components as { responses: Record<string, unknown> }).responses))
    walk(r, "components/responses");
  return open;
}

describe("the OpenAPI description", () => {
  it("closes every response object: each property listed and required, no others allowed", () => {
    // The description itself (any OpenAPI document) is the one open object; errors is optional on a
    // problem and notes on a Backstage import row (they are sent only when there are some), and OTLP's
    // partialSuccess (OpenTelemetry's answer: absent when every record was taken).
    expect(openResponseObjects(openApiDocument())).toEqual([
      "POST /api/v1/otlp/v1/logs 200 application/json: not every property is required",
      "POST /api/v1/otlp/v1/traces 200 application/json: not every property is required",
      "POST /api/v1/backstage/import 200 application/json/properties/rows/items: not every property is required",
      "GET /api/v1/openapi.json 200 application/json: no properties",
      "#/components/schemas/Problem: not every property is required",
    ]);
  });

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
