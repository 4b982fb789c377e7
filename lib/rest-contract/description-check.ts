// Judges live answers of a started server by the description it publishes (/api/v1/openapi.json), with a
// JSON Schema 2020-12 validator: the status is one the operation documents, every header it documents
// as required is sent and every documented header sent matches its schema, no contract header is sent
// that the response does not document, the Content-Type is a documented one, and the body validates.
// Bodies are judged by the schemas as published: the description's response objects are closed
// (lib/records/json-schema.ts; lib/rest/openapi/document.test.ts checks every one), so a field the server
// adds or drops without describing it fails here too.
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

type Schema = Record<string, unknown>;
type Header = { required?: boolean; schema?: Schema; $ref?: string };
type ResponseObject = {
  $ref?: string;
  headers?: Record<string, Header>;
  content?: Record<string, { schema?: Schema }>;
};
type Parameter = { name: string; in: string; required?: boolean; schema?: Schema };
export type Operation = {
  operationId: string;
  security?: { bearerToken?: string[] }[];
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, { schema?: Schema }> };
  responses: Record<string, ResponseObject>;
};
export type Description = {
  paths: Record<string, Record<string, Operation | Parameter[]>>;
  components: { schemas: Record<string, Schema>; responses: Record<string, ResponseObject> };
};

const METHODS = ["get", "put", "post", "delete", "patch"];
/** Headers a client acts on: sending one the response does not document is a disagreement too. */
const CONTRACT_HEADERS = [
  "etag",
  "location",
  "retry-after",
  "www-authenticate",
  "idempotent-replayed",
  "repr-digest",
  "x-key-fingerprint-sha256",
];
// OpenAPI's own annotations in a Schema Object, which JSON Schema does not define.
const OPENAPI_KEYWORDS = ["example", "discriminator", "xml", "externalDocs"];
const COMPONENTS = "https://apiledger.invalid/openapi-components.json";

const rebased = (schema: unknown): Schema =>
  JSON.parse(JSON.stringify(schema).replaceAll('"#/components/schemas/', `"${COMPONENTS}#/$defs/`)) as Schema;

export type Answer = { status: number; headers: Headers; bytes: Uint8Array };

export class DescriptionCheck {
  private readonly ajv: Ajv2020;
  private readonly compiled = new Map<string, ValidateFunction>();
  /** "METHOD /path/{param}" → the statuses seen. */
  readonly seen = new Map<string, Set<number>>();

  constructor(readonly doc: Description) {
    const ajv = (schemas: Record<string, Schema>) => {
      const a = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true });
      addFormats(a);
      a.addVocabulary(OPENAPI_KEYWORDS);
      // "#/components/schemas/X" in the description is rebased onto this schema's $defs.
      a.addSchema({ $id: COMPONENTS, $defs: rebased(schemas) });
      return a;
    };
    this.ajv = ajv(doc.components.schemas);
  }

  /** Every operation the description documents, as "METHOD /path/{param}". */
  operations(): string[] {
    return Object.entries(this.doc.paths).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((m) => METHODS.includes(m))
        .map((m) => `${m.toUpperCase()} ${path}`),
    );
  }

  operation(key: string): Operation {
    const [method, path] = key.split(" ") as [string, string];
    const op = this.doc.paths[path]?.[method.toLowerCase()] as Operation | undefined;
    if (!op) throw new Error(`${key} is not in the description`);
    return op;
  }

  /** The operation's parameters with the path item's own. */
  parameters(key: string): Parameter[] {
    const path = key.split(" ")[1]!;
    return [
      ...((this.doc.paths[path]?.parameters as Parameter[] | undefined) ?? []),
      ...(this.operation(key).parameters ?? []),
    ];
  }

  private validate(id: string, schema: Schema, value: unknown): string | null {
    let v = this.compiled.get(id);
    if (!v) {
      v = this.ajv.compile(rebased(schema));
      this.compiled.set(id, v);
    }
    return v(value) ? null : this.ajv.errorsText(v.errors);
  }

  private response(ref: ResponseObject): ResponseObject {
    return ref.$ref ? this.doc.components.responses[ref.$ref.split("/").pop()!]! : ref;
  }

  /** Whether a request body is one the operation documents (null) or why not. */
  requestProblem(key: string, contentType: string, body: unknown): string | null {
    const content = this.operation(key).requestBody?.content;
    if (!content) return `${key} documents no request body`;
    const media = content[contentType];
    if (!media) return `${key} documents no ${contentType} request body`;
    return media.schema ? this.validate(`${key} request ${contentType}`, media.schema, body) : null;
  }

  /** What is wrong with this answer to `key` by the description; empty when nothing. */
  check(key: string, answer: Answer): string[] {
    const problems: string[] = [];
    const statuses = this.seen.get(key) ?? new Set();
    statuses.add(answer.status);
    this.seen.set(key, statuses);
    const documented = this.operation(key).responses[String(answer.status)];
    if (!documented) return [`status ${answer.status} is not documented`];
    const response = this.response(documented);
    const headers = Object.fromEntries(Object.entries(response.headers ?? {}).map(([n, h]) => [n.toLowerCase(), h]));
    for (const [name, header] of Object.entries(headers)) {
      const value = answer.headers.get(name);
      if (value === null) {
        if (header.required) problems.push(`header ${name} is missing`);
        continue;
      }
      if (!header.schema) continue;
      const typed = ["integer", "number"].includes(header.schema.type as string) ? Number(value) : value;
      const wrong = this.validate(`${key} ${answer.status} ${name}`, header.schema, typed);
      if (wrong) problems.push(`header ${name}: ${JSON.stringify(value)}: ${wrong}`);
    }
    for (const name of CONTRACT_HEADERS)
      if (answer.headers.has(name) && !headers[name]) problems.push(`header ${name} is sent but not documented`);
    problems.push(...this.bodyProblems(key, answer, response));
    return problems;
  }

  private bodyProblems(key: string, answer: Answer, response: ResponseObject): string[] {
    const type = (answer.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
    if (!response.content) return answer.bytes.byteLength ? [`a ${type} body where none is documented`] : [];
    const media = response.content[type];
    if (!media)
      return [`Content-Type ${JSON.stringify(type)} is not one of ${Object.keys(response.content).join(", ")}`];
    if (!media.schema) return [];
    let value: unknown = Buffer.from(answer.bytes).toString("utf8");
    if (type === "application/json" || type.endsWith("+json")) {
      try {
        value = JSON.parse(value as string);
      } catch {
        return ["the body is not JSON"];
      }
    } else if (media.schema.contentMediaType === "application/zip") {
      if (Buffer.from(answer.bytes.subarray(0, 4)).toString("latin1") !== "PK\x03\x04")
        return ["the body is not a ZIP"];
      return [];
    }
    const wrong = this.validate(`${key} ${answer.status} ${type}`, media.schema, value);
    return wrong ? [`body: ${wrong}`] : [];
  }
}
