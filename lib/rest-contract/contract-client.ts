// Calls one documented operation of a started server and judges the answer by the description
// (lib/rest-contract/description-check.ts); every disagreement is kept, named by the scenario.
import { request } from "node:http";
import type { DescriptionCheck } from "@/lib/rest-contract/description-check";

export type Call = {
  params?: Record<string, string>;
  query?: string;
  /** The bearer token; null sends no credentials at all; absent, the client's default token. */
  token?: string | null;
  headers?: Record<string, string>;
  json?: unknown;
  body?: string;
  contentType?: string;
};
export type Sent = { status: number; headers: Headers; text: string; json: unknown };

export class ContractClient {
  defaultToken = "";
  readonly problems: string[] = [];

  constructor(
    readonly baseUrl: string,
    readonly check: DescriptionCheck,
  ) {}

  /** "PUT /api/v1/apis/{id}" with its parameters filled in. */
  url(op: string, call: Call): string {
    const path = op
      .split(" ")[1]!
      .replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(call.params?.[name] ?? `{${name}}`));
    return `${this.baseUrl}${path}${call.query ? `?${call.query}` : ""}`;
  }

  /**
   * Sends the call, judges the answer by the description, and (when `expected` is given) says so if
   * the status is another. `scenario` names the attempt in the problems.
   */
  async send(op: string, call: Call, expected: number | null, scenario: string): Promise<Sent> {
    const headers: Record<string, string> = { ...call.headers };
    const token = call.token === undefined ? this.defaultToken : call.token;
    if (token) headers.authorization = `Bearer ${token}`;
    let body = call.body;
    if (call.json !== undefined) body = JSON.stringify(call.json);
    if (body !== undefined) headers["content-type"] = call.contentType ?? "application/json";
    const response = await fetch(this.url(op, call), {
      method: op.split(" ")[0],
      headers,
      body,
      redirect: "manual",
    });
    return this.judge(
      op,
      response.status,
      response.headers,
      new Uint8Array(await response.arrayBuffer()),
      expected,
      scenario,
    );
  }

  /**
   * Sends the call's headers and the first byte of its body, then one more byte every 250 ms (chunked,
   * no length), as a sender that stalls mid-upload; the server must answer before the body would ever end.
   */
  async trickle(op: string, call: Call, expected: number, scenario: string): Promise<Sent> {
    const token = call.token === undefined ? this.defaultToken : call.token;
    const headers: Record<string, string> = {
      ...call.headers,
      "content-type": call.contentType ?? "application/json",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    };
    const {
      status,
      headers: got,
      bytes,
    } = await new Promise<{ status: number; headers: Headers; bytes: Buffer }>((resolve, reject) => {
      const upload = request(this.url(op, call), { method: op.split(" ")[0], headers });
      const timer = setInterval(() => upload.write(" "), 250);
      upload.on("error", (error) => (clearInterval(timer), reject(error)));
      upload.on("response", (response) => {
        clearInterval(timer);
        const chunks: Buffer[] = [];
        response.on("data", (c: Buffer) => chunks.push(c));
        response.on("error", reject);
        response.on("end", () => {
          const answer = new Headers();
          for (const [name, value] of Object.entries(response.headers))
            if (typeof value === "string") answer.set(name, value);
          resolve({ status: response.statusCode ?? 0, headers: answer, bytes: Buffer.concat(chunks) });
          upload.destroy();
        });
      });
      upload.write("[");
    });
    return this.judge(op, status, got, new Uint8Array(bytes), expected, scenario);
  }

  private judge(
    op: string,
    status: number,
    headers: Headers,
    bytes: Uint8Array,
    expected: number | null,
    scenario: string,
  ): Sent {
    const response = { status, headers };
    const text = Buffer.from(bytes).toString("utf8");
    const label = `${scenario}: ${op} → ${response.status}`;
    for (const problem of this.check.check(op, { status: response.status, headers: response.headers, bytes }))
      this.problems.push(`${label}: ${problem}`);
    if (expected !== null && response.status !== expected)
      this.problems.push(`${label}, expected ${expected}: ${text.slice(0, 300)}`);
    let json: unknown = undefined;
    try {
      json = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: response.status, headers: response.headers, text, json };
  }

  /** Whether the body of `call` is one the description documents (`valid`) or one it refuses. */
  expectRequest(op: string, call: Call, valid: boolean, scenario: string): void {
    const type = call.contentType ?? "application/json";
    if (!type.endsWith("json")) return;
    const body = call.json !== undefined ? call.json : JSON.parse(call.body ?? "null");
    const problem = this.check.requestProblem(op, type, body);
    if (valid && problem)
      this.problems.push(`${scenario}: ${op}: the request is not one the description documents: ${problem}`);
    if (!valid && !problem)
      this.problems.push(`${scenario}: ${op}: the description documents this invalid request as valid`);
  }
}
