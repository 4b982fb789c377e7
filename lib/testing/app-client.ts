// A client for a started server (lib/testing/app-server.ts) that calls it the way browsers and scripts do:
// next-auth's credentials sign-in, server actions encoded by React's own reply encoder (the bytes a browser
// sends, FormData and files included) and decoded by its own RSC reader, and REST calls.
import fs from "node:fs";
import path from "node:path";
import { encodeReply } from "next/dist/compiled/react-server-dom-turbopack/client.edge";

const ROOT = path.resolve(import.meta.dirname, "../..");

export type ServerAction = { id: string; file: string; name: string; page: string };

/**
 * Every server action of the production build, from Next's manifest: its id, the file and export that
 * define it, and a page whose bundle includes it (actions are posted to a page).
 */
export function serverActions(): ServerAction[] {
  const file = path.join(ROOT, ".next/server/server-reference-manifest.json");
  const manifest = JSON.parse(fs.readFileSync(file, "utf8")) as {
    node: Record<string, { workers: Record<string, unknown>; filename: string; exportedName: string }>;
  };
  return Object.entries(manifest.node).map(([id, entry]) => {
    // "app/(dashboard)/apis/[id]/page" → "/apis/x": the fewest dynamic segments, then the shortest.
    const pages = Object.keys(entry.workers)
      .filter((w) => w.endsWith("/page"))
      .map(
        (w) =>
          w
            .replace(/^app/, "")
            .replace(/\/page$/, "")
            .replace(/\/\([^)]+\)/g, "") || "/",
      )
      .sort((a, b) => (a.match(/\[/g)?.length ?? 0) - (b.match(/\[/g)?.length ?? 0) || a.length - b.length);
    return { id, file: entry.filename, name: entry.exportedName, page: (pages[0] ?? "/").replace(/\[[^\]]+\]/g, "x") };
  });
}

export type ActionOutcome = { status: number; result: unknown; text: string };
export type RestOutcome = { status: number; headers: Headers; body: unknown; text: string; bytes?: Uint8Array };

export class AppSession {
  private readonly cookies = new Map<string, string>();
  private actions: Map<string, ServerAction> | null = null;

  constructor(readonly baseUrl: string) {}

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  private keep(response: Response): void {
    for (const cookie of response.headers.getSetCookie()) {
      const pair = cookie.split(";")[0]!;
      const i = pair.indexOf("=");
      this.cookies.set(pair.slice(0, i), pair.slice(i + 1));
    }
  }

  /** Signs in with e-mail and password through next-auth; returns the response of the credentials callback. */
  async signIn(email: string, password: string): Promise<Response> {
    const csrf = await fetch(`${this.baseUrl}/api/auth/csrf`, { headers: { cookie: this.cookieHeader() } });
    this.keep(csrf);
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const response = await fetch(`${this.baseUrl}/api/auth/callback/credentials`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: this.cookieHeader() },
      body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
    });
    this.keep(response);
    return response;
  }

  isSignedIn(): boolean {
    return [...this.cookies.keys()].some((k) => k.endsWith("next-auth.session-token"));
  }

  /** Calls a server action by file and export name, e.g. ("lib/apis/actions.ts", "createApiAction"). */
  async action(file: string, name: string, args: unknown[]): Promise<ActionOutcome> {
    this.actions ??= new Map(serverActions().map((a) => [`${a.file}#${a.name}`, a]));
    const action = this.actions.get(`${file}#${name}`);
    if (!action) throw new Error(`No server action ${file}#${name} in the build (rebuild?)`);
    const body = await encodeReply(args);
    const headers: Record<string, string> = {
      "next-action": action.id,
      accept: "text/x-component",
      cookie: this.cookieHeader(),
      origin: this.baseUrl,
    };
    if (typeof body === "string") headers["content-type"] = "text/plain;charset=UTF-8";
    const response = await fetch(`${this.baseUrl}${action.page}`, { method: "POST", headers, body: body as BodyInit });
    const type = response.headers.get("content-type") ?? "";
    if (!type.includes("text/x-component"))
      return { status: response.status, result: undefined, text: await response.text() };
    const text = await response.text();
    try {
      return { status: response.status, result: actionResult(text), text };
    } catch (error) {
      return {
        status: response.status,
        result: undefined,
        text: `${text.slice(0, 2000)}\n(undecodable: ${(error as Error).message})`,
      };
    }
  }

  /** A REST call; `json` is sent as application/json, `body` as given. */
  async rest(
    method: string,
    route: string,
    options: { token?: string; json?: unknown; body?: BodyInit; headers?: Record<string, string> } = {},
  ): Promise<RestOutcome> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    else headers.cookie = this.cookieHeader();
    let body = options.body;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers["content-type"] ??= "application/json";
    }
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${route}`, { method, headers, body });
    } catch (error) {
      // Node's HTTP server answers a request line over its limit (16 KB) with 431 and closes the
      // connection at once: a client still sending the line may see the reset before the answer.
      const code = (error as { cause?: { code?: string } }).cause?.code;
      if (route.length > 16_384 && (code === "ECONNRESET" || code === "EPIPE"))
        return {
          status: 431,
          headers: new Headers(),
          body: undefined,
          text: `(closed by the server while the ${route.length}-character request line was sent: ${code})`,
        };
      throw error;
    }
    const bytes = new Uint8Array(await response.arrayBuffer());
    const text = new TextDecoder().decode(bytes);
    let parsed: unknown = undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON */
    }
    return { status: response.status, headers: response.headers, body: parsed, text, bytes };
  }
}

/**
 * The action's return value from an RSC response. React's own reader needs the app's client modules
 * (an action that revalidates a page also sends the page's new tree), so the rows are read here: plain
 * JSON rows and text rows, with the references a plain value can hold ("$@1", "$1", "$$", "$undefined").
 */
export function actionResult(payload: string): unknown {
  const rows = new Map<string, string>();
  let i = 0;
  while (i < payload.length) {
    const colon = payload.indexOf(":", i);
    if (colon < 0) break;
    const id = payload.slice(i, colon);
    if (payload[colon + 1] === "T") {
      const comma = payload.indexOf(",", colon);
      const length = parseInt(payload.slice(colon + 2, comma), 16);
      const bytes = Buffer.from(payload.slice(comma + 1), "utf8")
        .subarray(0, length)
        .toString("utf8");
      rows.set(id, JSON.stringify(bytes));
      i = comma + 1 + bytes.length;
      if (payload[i] === "\n") i++;
      continue;
    }
    const end = payload.indexOf("\n", colon);
    rows.set(id, payload.slice(colon + 1, end < 0 ? payload.length : end));
    i = end < 0 ? payload.length : end + 1;
  }
  const resolve = (value: unknown): unknown => {
    if (typeof value === "string" && value.startsWith("$")) {
      if (value.startsWith("$$")) return value.slice(1);
      if (value === "$undefined") return undefined;
      const ref = /^\$@?([0-9a-f]+)$/.exec(value);
      if (ref && rows.has(ref[1]!)) return resolve(JSON.parse(rows.get(ref[1]!)!));
      return value;
    }
    if (Array.isArray(value)) return value.map(resolve);
    if (value && typeof value === "object")
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v)]));
    return value;
  };
  const root = rows.get("0");
  if (!root) throw new Error("no root row");
  // Only the action's value ("a") is resolved: the page tree beside it refers to client-module rows.
  return resolve((JSON.parse(root) as { a?: unknown }).a);
}
