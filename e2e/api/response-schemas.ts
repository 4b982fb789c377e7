import { expect, type APIRequestContext } from "@playwright/test";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

type Doc = {
  paths: Record<
    string,
    Record<string, { responses: Record<string, { content?: Record<string, { schema: object }> }> }>
  >;
  components: { schemas: Record<string, unknown> };
};

/**
 * Checks live answers against the schema the published description (/api/v1/openapi.json) gives the
 * operation, with a JSON Schema 2020-12 validator. Closed: an answer may not carry a field the
 * description does not name, so a field added to a record but not to its schema fails here too.
 */
export async function responseChecker(request: APIRequestContext) {
  const doc = (await (await request.get("/api/v1/openapi.json")).json()) as Doc;
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv);
  const resolve = (schema: unknown): unknown => {
    if (Array.isArray(schema)) return schema.map(resolve);
    if (!schema || typeof schema !== "object") return schema;
    const ref = (schema as { $ref?: string }).$ref;
    if (ref?.startsWith("#/components/schemas/")) return resolve(doc.components.schemas[ref.split("/").pop()!]);
    const s = Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, resolve(v)]));
    return "properties" in s && !("additionalProperties" in s) ? { ...s, additionalProperties: false } : s;
  };
  return (route: string, method: string, body: unknown, status = "200") => {
    const schema = doc.paths[route]?.[method]?.responses[status]?.content?.["application/json"]?.schema;
    expect(schema, `${method} ${route} ${status} has a JSON schema`).toBeTruthy();
    const check = ajv.compile(resolve(schema) as object);
    expect(check(body), `${method.toUpperCase()} ${route}: ${ajv.errorsText(check.errors)}`).toBe(true);
  };
}
