// The REST contract suite: a started production server (SQLite or PostgreSQL) is called on every
// operation its published description (/api/v1/openapi.json) documents, and every answer is judged by
// that description with a JSON Schema 2020-12 validator (lib/rest-contract/description-check.ts). Per
// operation: the request that succeeds, with an Idempotency-Key retried (the stored answer, marked
// Idempotent-Replayed) and reused for another request (422); no credentials (401 with the Bearer
// challenge); a token without the operation's scope (403); a team-limited token on another team's
// object; unknown ids (404); a body the description refuses; If-Match missing, stale or malformed; a
// body of another media type (415), over the limit (413) or stalled mid-upload (408). The last test fails when an operation, or a
// status it documents, was never seen — so a new operation cannot be described without being called.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnectDb } from "@/lib/db/client";
import type { DbProvider } from "@/lib/db/db-url";
import type { TokenScope } from "@/lib/authz/policy";
import { startAppServer, type StartedApp } from "@/lib/testing/app-server";
import { isPostgresAvailable } from "@/lib/testing/test-db";
import { DEFAULT_MAX_BODY } from "@/lib/rest/api-route";
import { MAX_EVENT_BATCH_BYTES, MAX_TRAFFIC_BATCH_BYTES } from "@/lib/rest/event-batch";
import { MAX_DESCRIPTION_BYTES } from "@/lib/openapi-scan/parse";
import { MAX_CATALOG_BYTES } from "@/lib/backstage/import-backstage-catalog";
import { DescriptionCheck, type Description } from "@/lib/rest-contract/description-check";
import { ContractClient, type Call } from "@/lib/rest-contract/contract-client";
import { makeContractFixture, type Fixture } from "@/lib/rest-contract/contract-fixtures";
import { OPERATIONS, type OperationSpec } from "@/lib/rest-contract/operations";

/** Documented statuses no call here produces, with where they are tested instead. */
const NOT_PRODUCED: Record<string, string> = {
  "429": "the rate limits are lifted here (lib/server/hardening.suite.ts); only the evidence queue's is met",
  "503": "a database outage: the fault suite (e2e/faults)",
  "507": "a full disk: the fault suite (e2e/faults)",
};
/** Per operation: a status that depends on timing, with why. */
const TIMING: Record<string, Record<string, string>> = {
  "GET /api/v1/evidence/exports/{id}/bundle": { "409": "only while the bundle is being built (tried at once)" },
};

const UNKNOWN = "no-such-id-0000";
/** The server's body deadline here: short, so that a stalled upload's 408 is met on every operation. */
const BODY_DEADLINE_SECONDS = 2;

export async function defineContractSuite(provider: DbProvider, port: number): Promise<void> {
  const runs = provider === "sqlite" || (await isPostgresAvailable());
  describe.runIf(runs)(`the REST contract on ${provider}`, () => {
    let server: StartedApp;
    let client: ContractClient;
    let f: Fixture;

    beforeAll(async () => {
      server = await startAppServer({
        provider,
        port,
        env: {
          APILEDGER_API_RATE_PER_MINUTE: "1000000",
          APILEDGER_BODY_TIMEOUT_SECONDS: String(BODY_DEADLINE_SECONDS),
        },
      });
      await disconnectDb();
      process.env.DATABASE_URL = server.databaseUrl;
      process.env.APILEDGER_DATA_DIR = server.dataDir;
      const doc = (await (await fetch(`${server.url}/api/v1/openapi.json`)).json()) as Description;
      client = new ContractClient(server.url, new DescriptionCheck(doc));
      f = await makeContractFixture(client);
    }, 900_000);

    afterAll(async () => {
      await disconnectDb();
      await server?.stop();
    });

    for (const [op, spec] of Object.entries(OPERATIONS))
      it(op, async () => {
        const before = client.problems.length;
        await exercise(op, spec, f, client);
        expect(client.problems.slice(before)).toEqual([]);
      });

    it("called every documented operation and saw every status each documents", () => {
      const check = client.check;
      expect(Object.keys(OPERATIONS).sort(), "lib/rest-contract/operations.ts has one entry per operation").toEqual(
        check.operations().sort(),
      );
      expect(
        check.operations().filter((op) => !check.seen.has(op)),
        "documented operations never called (add them to lib/rest-contract/operations.ts)",
      ).toEqual([]);
      const unseen = check.operations().flatMap((op) =>
        Object.keys(check.operation(op).responses)
          .filter((s) => !check.seen.get(op)?.has(Number(s)) && !NOT_PRODUCED[s] && !TIMING[op]?.[s])
          .map((s) => `${op} ${s}`),
      );
      expect(unseen, "documented statuses never produced").toEqual([]);
      expect(client.problems, "disagreements outside the per-operation tests (fixtures)").toEqual([]);
    });
  });
}

async function exercise(op: string, spec: OperationSpec, f: Fixture, client: ContractClient): Promise<void> {
  const check = client.check;
  const operation = check.operation(op);
  const parameters = check.parameters(op);
  const has = (name: string) => parameters.some((p) => p.in === "header" && p.name === name);
  const documents = (status: number) => String(status) in operation.responses;
  const send = (call: Call, status: number | null, scenario: string) => client.send(op, call, status, scenario);
  const probe = await spec.ok(f);
  if (operation.requestBody) client.expectRequest(op, probe, true, "success");

  // Refusals first: none of them may change the target the successful call then uses.
  if (operation.security?.length !== 0) {
    const refused = await send({ ...probe, token: null }, 401, "no credentials");
    if (!/^Bearer\b/.test(refused.headers.get("www-authenticate") ?? ""))
      client.problems.push(`no credentials: ${op}: no Bearer challenge`);
    const scopes = operation.security?.flatMap((s) => s.bearerToken ?? []) ?? [];
    for (const scope of scopes)
      await send({ ...probe, token: f.tokens.lacking.get(scope as TokenScope)! }, 403, `a token without ${scope}`);
  }
  for (const p of parameters.filter((p) => p.in === "path"))
    await send({ ...probe, params: { ...probe.params, [p.name]: UNKNOWN } }, 404, `unknown ${p.name}`);
  if (has("If-Match")) {
    const { "If-Match": _sent, ...others } = probe.headers ?? {};
    await send({ ...probe, headers: others }, 412, "no If-Match");
    for (const etag of ['"stale"', '"0"', 'W/"1", "2"'])
      await send({ ...probe, headers: { ...others, "If-Match": etag } }, 412, `If-Match: ${etag}`);
    await send({ ...probe, headers: { ...others, "If-Match": "*" } }, 400, "If-Match: *");
  }
  if (operation.requestBody) {
    const body = probe.body ?? JSON.stringify(probe.json ?? {});
    await send({ ...probe, json: undefined, body, contentType: "text/plain" }, 415, "a text/plain body");
    if (documents(413)) {
      const over = " ".repeat((LARGE_BODIES[op] ?? DEFAULT_MAX_BODY) + 1);
      await send({ ...probe, json: undefined, body: over }, 413, "a body over the limit");
    }
    if (documents(408)) await client.trickle(op, probe, 408, "a body that stops arriving");
  }
  if (spec.invalid) {
    const invalid = await spec.invalid.call(f);
    if (operation.requestBody) client.expectRequest(op, invalid, false, "invalid body");
    await send(invalid, spec.invalid.status, "invalid");
  }
  if (spec.otherTeam)
    await send(await spec.otherTeam.call(f), spec.otherTeam.status ?? 403, "team A's token, team B's object");

  if (!has("Idempotency-Key")) {
    await send(probe, spec.status, "success");
  } else {
    const key = `contract-${crypto.randomUUID()}`;
    const withKey = (call: Call, k = key) => ({ ...call, headers: { ...call.headers, "Idempotency-Key": k } });
    await send(withKey(probe, "has a space"), 400, "a malformed Idempotency-Key");
    const first = await send(withKey(probe), spec.status, "success");
    const again = await send(withKey(probe), spec.status, "the same request again");
    if (again.headers.get("idempotent-replayed") !== "true")
      client.problems.push(`retry: ${op}: no Idempotent-Replayed: true`);
    if (again.text !== first.text) client.problems.push(`retry: ${op}: another body than the first answer`);
    for (const name of ["location", "etag"])
      if (again.headers.get(name) !== first.headers.get(name)) client.problems.push(`retry: ${op}: another ${name}`);
    const other = probe.params
      ? { ...probe, params: Object.fromEntries(Object.keys(probe.params).map((k) => [k, UNKNOWN])) }
      : spec.invalid && (await spec.invalid.call(f));
    if (other) await send(withKey(other), 422, "the key again for another request");
  }
  await spec.more?.(f, client, op);
}

/** The operations that take more than the default body. */
const LARGE_BODIES: Record<string, number> = {
  "POST /api/v1/events/auth": MAX_EVENT_BATCH_BYTES,
  "POST /api/v1/traffic": MAX_TRAFFIC_BATCH_BYTES,
  "POST /api/v1/otlp/v1/logs": MAX_TRAFFIC_BATCH_BYTES,
  "POST /api/v1/traffic/firehose": MAX_TRAFFIC_BATCH_BYTES,
  "POST /api/v1/otlp/v1/traces": MAX_TRAFFIC_BATCH_BYTES,
  "PUT /api/v1/apis/{id}/openapi": MAX_DESCRIPTION_BYTES,
  "POST /api/v1/backstage/import": MAX_CATALOG_BYTES,
};
