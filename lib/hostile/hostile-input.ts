// The hostile-input suite: a started production server (SQLite or PostgreSQL) is sent, through every
// server action, every REST write route and the sign-in form, each hostile string class in every
// free-text slot, a hostile id in every id, a body nested 100,000 levels deep, and hostile path and query
// values on every page and REST read. Each answer must be a 4xx (or an action's refusal) with a clear
// field error, or an accepted write whose stored text reads back exactly (NFC); never a 500 or an
// "internal" result. At the end the audit log must still verify.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PERMISSIONS, type Permission } from "@/lib/authz/policy";
import { disconnectDb } from "@/lib/db/client";
import type { DbProvider } from "@/lib/db/db-url";
import { AppSession, serverActions } from "@/lib/testing/app-client";
import { startAppServer, type StartedApp } from "@/lib/testing/app-server";
import { CASES, previewRefused, type Call, type Case } from "@/lib/hostile/cases";
import { DEMO_PASSWORD, PEOPLE, makeFixtures, type Fixtures, type Person } from "@/lib/hostile/fixtures";
import { HOSTILE_VALUES, PRINTABLE_ASCII, deeplyNestedJson, encodeSegment, storedForm } from "@/lib/hostile/values";
import { readStatus } from "@/lib/traffic/otlp-protobuf";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** Policy actions no HTTP request can exercise, with why. Every other write action must have a case. */
const NOT_FROM_HTTP: Partial<Record<Permission, string>> = {
  "notification:deliver": "e-mail delivery runs in the server's hourly job, not on a request",
  "audit:checkpoint":
    "checkpoints are signed by the server's timer and inside evidence exports (which a case sends), never on their own",
  "controls:snapshot": "the day's control counts are recorded by the server's hourly job, not on a request",
  "evidence:record-progress":
    "an export's progress is recorded by the instance building it (an export request, which a case sends, starts it)",
  "audit:forward": "the SIEM forwarder moves its cursor in the background, never on a request",
  "jobs:record-run": "background jobs record their runs themselves, never on a request",
  "webhooks:deliver": "webhook deliveries are sent by the webhook-delivery job, never on a request",
};
/** Policy actions that only read: the read sweep below covers them without a case each. */
const READS = new Set<Permission>(
  PERMISSIONS.filter((a) => a.endsWith(":read") || a === "api:export" || a === "notification:read-own"),
);

/** The REST routes with their methods, from the route files (next-auth's own route aside). */
export function restRoutes(): { method: string; route: string }[] {
  const out: { method: string; route: string }[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === "route.ts") {
        const route = `/${path.relative(path.join(ROOT, "app"), path.dirname(full)).split(path.sep).join("/")}`;
        if (route.startsWith("/api/auth/")) continue;
        for (const m of fs.readFileSync(full, "utf8").matchAll(/export const (GET|POST|PUT|PATCH|DELETE)\b/g))
          out.push({ method: m[1]!, route });
      }
    }
  };
  walk(path.join(ROOT, "app/api"));
  return out;
}

/** The dashboard's pages, from the page files, as URL patterns ("/apis/[id]/events"). */
function pageRoutes(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === "page.tsx")
        out.push(
          `/${path
            .relative(path.join(ROOT, "app"), dir)
            .split(path.sep)
            .filter((s) => !/^\(.*\)$/.test(s))
            .join("/")}`.replace(/\/$/, "") || "/",
        );
    }
  };
  walk(path.join(ROOT, "app"));
  return out;
}

/** A server's answer as one short line for a failure message (RSC payloads span many). */
const oneLine = (text: string) => text.replace(/\s*\n\s*/g, " ⏎ ").slice(0, 300);

type Outcome =
  | { accepted: true; status: number; result: unknown }
  | {
      accepted: false;
      status: number;
      internal: boolean;
      messages: string[];
      fieldErrors: Record<string, string[]>;
      raw: string;
    };

export function defineHostileSuite(provider: DbProvider, port: number): void {
  describe(`hostile input against a started server on ${provider}`, () => {
    let server: StartedApp;
    let fx: Fixtures;
    const sessions = new Map<Person, AppSession>();
    const tokens = new Map<Person, string>();

    beforeAll(async () => {
      server = await startAppServer({ provider, port, env: { APILEDGER_API_RATE_PER_MINUTE: "1000000" } });
      // The test process works on the server's own database and data folder (fixtures, read-backs).
      await disconnectDb();
      process.env.DATABASE_URL = server.databaseUrl;
      process.env.APILEDGER_DATA_DIR = server.dataDir;
      fx = await makeFixtures();
      for (const who of Object.keys(PEOPLE) as Person[]) {
        const session = new AppSession(server.url);
        await session.signIn(PEOPLE[who], DEMO_PASSWORD);
        expect(session.isSignedIn(), `${who} signed in`).toBe(true);
        sessions.set(who, session);
        tokens.set(who, await fx.tokenFor(who));
      }
    }, 900_000);

    afterAll(async () => {
      await disconnectDb();
      await server?.stop();
    });

    async function send(c: Case, call: Call): Promise<Outcome> {
      const session = sessions.get(c.as)!;
      if (call.kind === "action") {
        const o = await session.action(call.file, call.name, call.args);
        const r = o.result as
          | { ok?: boolean; data?: unknown; code?: string; message?: string; fieldErrors?: Record<string, string[]> }
          | undefined;
        if (o.status >= 400 && o.status < 500) {
          const problem = (() => {
            try {
              return JSON.parse(o.text) as { detail?: string };
            } catch {
              return {};
            }
          })();
          return {
            accepted: false,
            status: o.status,
            internal: false,
            messages: [problem.detail ?? ""],
            fieldErrors: {},
            raw: oneLine(o.text),
          };
        }
        if (o.status !== 200 || !r || typeof r !== "object")
          return {
            accepted: false,
            status: o.status === 200 ? 500 : o.status,
            internal: true,
            messages: [],
            fieldErrors: {},
            raw: oneLine(o.text),
          };
        if (r.ok && previewRefused(r.data)) {
          const data = r.data as { fileErrors?: string[]; rows?: { errors?: string[] }[] };
          const messages = [...(data.fileErrors ?? []), ...(data.rows ?? []).flatMap((row) => row.errors ?? [])];
          return { accepted: false, status: 200, internal: false, messages, fieldErrors: { file: messages }, raw: "" };
        }
        if (r.ok) return { accepted: true, status: 200, result: r.data };
        return {
          accepted: false,
          status: 200,
          internal: r.code === "INTERNAL",
          messages: [r.message ?? ""],
          fieldErrors: r.fieldErrors ?? {},
          raw: oneLine(JSON.stringify(r)),
        };
      }
      const headers: Record<string, string> = { ...call.headers };
      if (call.contentType) headers["content-type"] = call.contentType;
      const o = await session.rest(call.method, call.route, {
        token: call.token ?? tokens.get(c.as),
        json: call.json,
        body: call.body,
        headers,
      });
      if (o.status < 300) return { accepted: true, status: o.status, result: o.body ?? null };
      const protobuf = o.headers.get("content-type") === "application/x-protobuf";
      const body = (protobuf ? readStatus(o.bytes ?? new Uint8Array()) : (o.body ?? {})) as {
        detail?: string;
        errors?: Record<string, string[]>;
        message?: string;
        errorMessage?: string;
      };
      // OTLP answers a refusal with google.rpc.Status, whose message names the record and field at fault.
      // Firehose's answer likewise (errorMessage): neither has a field list.
      const otlp = call.route.startsWith("/api/v1/otlp/");
      const firehose = call.route === "/api/v1/traffic/firehose";
      const message = otlp ? body.message : firehose ? body.errorMessage : undefined;
      const problem =
        otlp || firehose
          ? { detail: message, errors: o.status === 400 && message ? { message: [message] } : undefined }
          : body;
      // SCIM's error message (RFC 7644 §3.12) has no field list: its detail names the attribute at fault.
      const scim = (o.headers.get("content-type") ?? "").startsWith("application/scim+json");
      return {
        accepted: false,
        status: o.status,
        internal: o.status >= 500,
        messages: [problem.detail ?? ""],
        fieldErrors: problem.errors ?? (scim && o.status === 400 && problem.detail ? { detail: [problem.detail] } : {}),
        raw: oneLine(o.text),
      };
    }

    it("names every server action, REST write route and write permission of the app", () => {
      const entries = new Set([
        ...serverActions().map((a) => `action ${a.file}#${a.name}`),
        ...restRoutes()
          .filter((r) => r.method !== "GET")
          .map((r) => `rest ${r.method} ${r.route}`),
      ]);
      const named = new Set(CASES.map((c) => c.entry));
      expect(
        [...entries].filter((e) => !named.has(e)),
        "entry points without a case in lib/hostile/cases.ts",
      ).toEqual([]);
      expect(
        [...named].filter((e) => !entries.has(e)),
        "cases for entry points that no longer exist",
      ).toEqual([]);
      const exercised = new Set<Permission | null>([
        ...CASES.flatMap((c) => c.permission),
        "auth:record-sign-in",
        "api:record-call",
        // Every signed-in request keeps its session's last-seen time (lib/sessions/session-state.ts).
        "session:touch",
      ]);
      const missing = PERMISSIONS.filter((a) => !READS.has(a) && !NOT_FROM_HTTP[a] && !exercised.has(a));
      expect(missing, "write permissions that no case exercises").toEqual([]);
    });

    for (const c of CASES) {
      it(`${c.entry}${c.slot ? ` (${c.slot})` : ""}`, async () => {
        const problems: string[] = [];
        if (c.signInFirst) await sessions.get(c.as)!.signIn(PEOPLE[c.as], DEMO_PASSWORD);
        const judge = async (
          label: string,
          call: Call,
          expectation: "refused" | "kept" | "either",
          sent: string | null,
        ) => {
          const o = await send(c, call);
          if (!o.accepted) {
            if (o.internal) problems.push(`${label}: server error ${o.status} ${o.raw}`);
            // A refusal of the whole request (too large; an address the rule refuses, or too long for the
            // HTTP server at all) has no field to point at: its status and message are the clear error.
            else if (
              !Object.keys(o.fieldErrors).length &&
              !(o.status === 413 && o.messages.join("")) &&
              !(call.kind === "rest" && sent === null && (o.messages.join("") || [414, 431].includes(o.status)))
            )
              problems.push(`${label}: refused without a field error (${o.status}: ${o.messages.join(" ")})`);
            // A URL slot takes every printable-ASCII value the text rule keeps: a refusal there is wrong even
            // with a field error (elsewhere a field's own rules, such as a name's, may refuse it).
            else if (expectation === "kept" && (!Object.keys(o.fieldErrors).length || c.stores === "url"))
              problems.push(`${label}: refused (${o.messages.join(" ")})`);
            return;
          }
          if (expectation === "refused") {
            problems.push(`${label}: accepted a value the text rule refuses`);
            return;
          }
          if (sent === null) return;
          if (!c.readBack) {
            problems.push(`${label}: accepted, and the case cannot read back what was stored`);
            return;
          }
          const stored = await c.readBack(fx, o.result, sent);
          const expected = (c.stores ?? "nfc") === "nfc" ? storedForm(sent) : sent;
          for (const value of stored)
            if (value !== expected)
              problems.push(
                `${label}: stored ${JSON.stringify(value.slice(0, 80))} (${value.length} chars), sent ${JSON.stringify(sent.slice(0, 80))} (${sent.length} chars)`,
              );
          if (c.signInAgainWith) {
            const session = sessions.get(c.as)!;
            await session.signIn(PEOPLE[c.as], c.signInAgainWith());
            if (!session.isSignedIn()) problems.push(`${label}: could not sign in again after the call`);
          }
        };

        if (c.call) {
          const mode = c.stores ?? "nfc";
          for (const v of HOSTILE_VALUES) {
            // A multipart field or file carries only well-formed text: a client replaces a lone surrogate first.
            const sent = c.form ? v.value.toWellFormed() : v.value;
            const expectation =
              sent !== v.value
                ? "either"
                : mode === "url" && !PRINTABLE_ASCII.test(sent)
                  ? "refused"
                  : mode === "document" && v.expect === "refused" && !v.unstorable
                    ? "kept"
                    : v.expect;
            await judge(v.name, await c.call(v.value, fx), expectation, sent);
          }
          // A body nested deeper than any form: refused quickly, never walked into a stack overflow.
          const sample = await c.call("x", fx);
          if (sample.kind === "rest" && sample.json !== undefined) {
            await judge(
              "deeply nested JSON body",
              { ...sample, json: undefined, body: deeplyNestedJson(), contentType: "application/json" },
              "refused",
              null,
            );
          }
          if (sample.kind === "action" && !sample.args.some((a) => a instanceof FormData)) {
            let deep: unknown = "x";
            for (let i = 0; i < 2000; i++) deep = [deep];
            await judge(
              "deeply nested argument",
              { ...sample, args: sample.args.map((a) => (a && typeof a === "object" ? deep : a)) },
              "refused",
              null,
            );
          }
        }
        if (c.withId) {
          for (const v of HOSTILE_VALUES.filter((h) => h.expect === "refused"))
            await judge(`id: ${v.name}`, await c.withId(v.value, fx), "refused", null);
          await judge("id: 1 MB", await c.withId("a".repeat(1024 * 1024), fx), "refused", null);
        }
        if (!c.call && !c.withId) {
          const o = await send(c, {
            kind: "action",
            file: c.entry.split(" ")[1]!.split("#")[0]!,
            name: c.entry.split("#")[1]!,
            args: [],
          });
          if (c.refusedWith) {
            if (o.accepted || (!o.accepted && (o.internal || !c.refusedWith.test(o.messages.join(" ")))))
              problems.push(`no-argument call: expected a refusal matching ${c.refusedWith}, got ${JSON.stringify(o)}`);
          } else if (!o.accepted) problems.push(`no-argument call refused: ${o.status} ${o.messages.join(" ")}`);
        }
        expect(problems).toEqual([]);
      });
    }

    it("the sign-in form: a hostile e-mail or password is refused without a session, a server error or database text", async () => {
      const problems: string[] = [];
      for (const v of HOSTILE_VALUES.filter((h) => h.value.length < 1000)) {
        for (const [email, password] of [
          [v.value, DEMO_PASSWORD],
          [`${v.value}@example.com`, DEMO_PASSWORD],
          [PEOPLE.owner, v.value],
        ] as const) {
          const session = new AppSession(server.url);
          const response = await session.signIn(email, password);
          const body = await response.text();
          if (response.status >= 500)
            problems.push(`${v.name} (${email === v.value ? "e-mail" : "password"}): ${response.status}`);
          if (session.isSignedIn()) problems.push(`${v.name}: signed in`);
          if (
            /prisma|invalid byte sequence|sqlite|postgres|\bSQL\b|constraint/i.test(
              decodeURIComponent(body + (response.headers.get("location") ?? "")),
            )
          )
            problems.push(`${v.name}: the answer shows database text: ${body.slice(0, 200)}`);
        }
      }
      expect(problems).toEqual([]);
    });

    it("every page and REST read answers hostile path and query values without a server error", async () => {
      const admin = sessions.get("admin")!;
      const values = [...HOSTILE_VALUES.filter((h) => h.expect === "refused").map((h) => h.value), "x".repeat(10_000)];
      const problems: string[] = [];
      const query = (v: string) =>
        ["q", "page", "cursor", "sort", "limit", "api", "campaign", "action", "team", "owner", "tag", "failed", "size"]
          .map((k) => `${k}=${encodeSegment(v)}`)
          .join("&");
      for (const route of [
        ...pageRoutes(),
        ...restRoutes()
          .filter((r) => r.method === "GET")
          .map((r) => r.route),
      ]) {
        for (const v of values) {
          const url = `${route.replace(/\[[^\]]+\]/g, () => encodeSegment(v))}?${query(v)}`;
          const isRest = route.startsWith("/api/");
          const response = await fetch(`${server.url}${url}`, {
            headers: isRest ? { authorization: `Bearer ${tokens.get("admin")}` } : { cookie: admin.cookieHeader() },
            redirect: "manual",
          });
          await response.arrayBuffer();
          if (response.status >= 500)
            problems.push(`${route} with ${JSON.stringify(v.slice(0, 20))}: ${response.status}`);
        }
      }
      expect(problems).toEqual([]);
    });

    it("the audit log still verifies, every entry's hash recomputed from what is stored", () => {
      const out = execFileSync(
        process.execPath,
        ["--import", "tsx", "--conditions=react-server", "lib/cli/audit-verify.ts"],
        {
          cwd: ROOT,
          env: { ...process.env, DATABASE_URL: server.databaseUrl, APILEDGER_DATA_DIR: server.dataDir },
          encoding: "utf8",
        },
      );
      expect(out).toMatch(/Audit log intact/);
    });
  });
}
