// Each documented operation of /api/v1 as the contract suite calls it: a request that succeeds (made
// fresh for every attempt, since writes use up their target), a body the description refuses, the
// team-A token on team B's object, and calls for the statuses only that operation can give. The suite
// derives the rest from the description (no credentials, a token without the scope, unknown ids,
// If-Match, Idempotency-Key, media type, body size).
import { parseAllDocuments, stringify } from "yaml";
import type { Call, ContractClient } from "@/lib/rest-contract/contract-client";
import { otlpJson } from "@/lib/testing/otlp";
import {
  DESCRIPTION,
  PERIOD,
  apiBody,
  clientBody,
  eventBody,
  incidentBody,
  nginxRecord,
  firehoseBody,
  awsRecord,
  unique,
  type Fixture,
} from "@/lib/rest-contract/contract-fixtures";

type Make = (f: Fixture) => Call | Promise<Call>;
export type OperationSpec = {
  ok: Make;
  status: number;
  /** A body (or query) the description refuses, with the status the server answers. */
  invalid?: { call: Make; status: number };
  /** Team B's object through the team-A token; 403 unless said. */
  otherTeam?: { call: Make; status?: number };
  /** Calls for statuses only this operation gives. */
  more?: (f: Fixture, client: ContractClient, op: string) => Promise<void>;
};

const ifMatch = (etag: string) => ({ "If-Match": etag });
const freshApiPut = async (f: Fixture): Promise<Call> => {
  const id = await f.newApi();
  return { params: { id }, headers: ifMatch(await f.etag("GET /api/v1/apis/{id}", { id })), json: apiBody(f.teamA) };
};
const freshClient = async (f: Fixture) => ({ id: f.apiA, clientId: await f.newClient(f.apiA) });
const freshIncident = async (f: Fixture) => {
  const id = await f.newIncident(f.apiA);
  return { params: { id }, headers: ifMatch(await f.etag("GET /api/v1/incidents/{id}", { id })) };
};
const yamlOf = (doc: unknown) => ({ body: stringify(doc), contentType: "application/yaml" });

export const OPERATIONS: Record<string, OperationSpec> = {
  "GET /api/v1/openapi.json": { ok: () => ({ token: null }), status: 200 },
  "GET /api/v1/apis": {
    ok: () => ({ query: "limit=5&sort=-name" }),
    status: 200,
    invalid: { call: () => ({ query: "limit=0" }), status: 400 },
  },
  "POST /api/v1/apis": {
    ok: (f) => ({ json: apiBody(f.teamA) }),
    status: 201,
    invalid: { call: (f) => ({ json: { ...apiBody(f.teamA), lifecycle: "SOMETIME" } }), status: 400 },
    otherTeam: { call: (f) => ({ json: apiBody(f.teamB), token: f.tokens.teamA }) },
  },
  "GET /api/v1/apis/{id}": {
    ok: (f) => ({ params: { id: f.apiA } }),
    status: 200,
    otherTeam: { call: (f) => ({ params: { id: f.apiB }, token: f.tokens.teamA }) },
    // Its spec object is null until a description is attached.
    more: async (f, client, op) =>
      void (await client.send(op, { params: { id: await f.describedApi() } }, 200, "with a description")),
  },
  "PUT /api/v1/apis/{id}": {
    ok: freshApiPut,
    status: 200,
    invalid: {
      call: async (f) => ({ ...(await freshApiPut(f)), json: { ...apiBody(f.teamA), name: 7 } }),
      status: 400,
    },
    otherTeam: {
      call: async (f) => ({
        params: { id: f.apiB },
        headers: ifMatch(await f.etag("GET /api/v1/apis/{id}", { id: f.apiB })),
        json: apiBody(f.teamB),
        token: f.tokens.teamA,
      }),
    },
  },
  "DELETE /api/v1/apis/{id}": {
    ok: async (f) => ({ params: { id: await f.newApi() } }),
    status: 204,
    otherTeam: { call: (f) => ({ params: { id: f.apiB }, token: f.tokens.teamA }) },
  },
  "GET /api/v1/apis/{id}/openapi": {
    ok: async (f) => ({ params: { id: await f.describedApi() } }),
    status: 200,
    otherTeam: { call: (f) => ({ params: { id: f.apiB }, token: f.tokens.teamA }) },
    // An API without a description has no scan to show.
    more: async (f, client, op) => void (await client.send(op, { params: { id: f.apiA } }, 404, "no description")),
  },
  "PUT /api/v1/apis/{id}/openapi": {
    ok: async (f) => ({
      params: { id: await f.newApi() },
      body: JSON.stringify(DESCRIPTION),
      contentType: "application/json",
    }),
    status: 200,
    invalid: {
      call: async (f) => ({ params: { id: await f.newApi() }, json: ["not", "a", "description"] }),
      status: 400,
    },
    otherTeam: { call: (f) => ({ params: { id: f.apiB }, ...yamlOf(DESCRIPTION), token: f.tokens.teamA }) },
    more: async (f, client, op) =>
      void (await client.send(op, { params: { id: await f.newApi() }, ...yamlOf(DESCRIPTION) }, 200, "as YAML")),
  },
  "DELETE /api/v1/apis/{id}/openapi": {
    ok: async (f) => ({ params: { id: await f.describedApi() } }),
    status: 204,
    otherTeam: { call: (f) => ({ params: { id: f.apiB }, token: f.tokens.teamA }) },
  },
  "GET /api/v1/apis/{id}/clients": {
    ok: (f) => ({ params: { id: f.apiA } }),
    status: 200,
    otherTeam: { call: (f) => ({ params: { id: f.apiB }, token: f.tokens.teamA }) },
  },
  "POST /api/v1/apis/{id}/clients": {
    ok: (f) => ({ params: { id: f.apiA }, json: clientBody() }),
    status: 201,
    invalid: { call: (f) => ({ params: { id: f.apiA }, json: { ...clientBody(), canModify: "no" } }), status: 400 },
    otherTeam: { call: (f) => ({ params: { id: f.apiB }, json: clientBody(), token: f.tokens.teamA }) },
    more: async (f, client, op) => {
      const name = `contract-twin-${unique()}`;
      await client.send(op, { params: { id: f.apiA }, json: clientBody(name) }, 201, "first of a name");
      await client.send(op, { params: { id: f.apiA }, json: clientBody(name) }, 409, "the same name again");
    },
  },
  "GET /api/v1/apis/{id}/clients/{clientId}": {
    ok: (f) => ({ params: { id: f.apiA, clientId: f.clientA } }),
    status: 200,
    otherTeam: { call: (f) => ({ params: { id: f.apiB, clientId: f.clientB }, token: f.tokens.teamA }) },
  },
  "PUT /api/v1/apis/{id}/clients/{clientId}": {
    ok: async (f) => ({ params: await freshClient(f), headers: ifMatch('"1"'), json: clientBody() }),
    status: 200,
    invalid: {
      call: async (f) => ({
        params: await freshClient(f),
        headers: ifMatch('"1"'),
        json: { ...clientBody(), scopes: "all" },
      }),
      status: 400,
    },
    otherTeam: {
      call: (f) => ({
        params: { id: f.apiB, clientId: f.clientB },
        headers: ifMatch('"1"'),
        json: clientBody(),
        token: f.tokens.teamA,
      }),
    },
    more: async (f, client, op) => {
      const taken = `contract-taken-${unique()}`;
      await f
        .newClient(f.apiA)
        .then(async (id) =>
          client.send(
            op,
            { params: { id: f.apiA, clientId: id }, headers: ifMatch('"1"'), json: clientBody(taken) },
            200,
            "rename",
          ),
        );
      const params = await freshClient(f);
      await client.send(
        op,
        { params, headers: ifMatch('"1"'), json: clientBody(taken) },
        409,
        "a name another client has",
      );
    },
  },
  "DELETE /api/v1/apis/{id}/clients/{clientId}": {
    ok: async (f) => ({ params: await freshClient(f) }),
    status: 204,
    otherTeam: { call: (f) => ({ params: { id: f.apiB, clientId: f.clientB }, token: f.tokens.teamA }) },
  },
  "GET /api/v1/apis/{id}/events": {
    ok: (f) => ({ params: { id: f.apiA }, query: "limit=10&outcome=success" }),
    status: 200,
    invalid: { call: (f) => ({ params: { id: f.apiA }, query: "outcome=maybe" }), status: 400 },
    otherTeam: { call: (f) => ({ params: { id: f.apiB }, token: f.tokens.teamA }) },
  },
  "POST /api/v1/events/auth": {
    ok: (f) => ({ json: eventBody(f.apiA) }),
    status: 201,
    invalid: { call: (f) => ({ json: [{ ...eventBody(f.apiA)[0], outcome: "shrug" }] }), status: 400 },
    otherTeam: { call: (f) => ({ json: eventBody(f.apiB), token: f.tokens.teamA }) },
    more: async (f, client, op) => {
      const ndjson = eventBody(f.apiA)
        .map((e) => JSON.stringify(e))
        .join("\n");
      await client.send(op, { body: ndjson, contentType: "application/x-ndjson" }, 201, "as NDJSON");
    },
  },
  "POST /api/v1/traffic": {
    ok: (f) => ({ json: [nginxRecord(), nginxRecord()], token: f.tokens.source }),
    status: 200,
    invalid: { call: (f) => ({ json: [], token: f.tokens.source }), status: 400 },
    // Any token but a source's is refused, team A's included.
    otherTeam: { call: (f) => ({ json: [nginxRecord()], token: f.tokens.teamA }) },
    more: async (f, client, op) => {
      const lines = [JSON.stringify(nginxRecord()), "not json"].join("\n");
      const { json } = await client.send(
        op,
        { body: lines, contentType: "application/x-ndjson", token: f.tokens.source },
        200,
        "NDJSON with a line quarantined",
      );
      if ((json as { quarantined?: number }).quarantined !== 1)
        throw new Error(`not quarantined: ${JSON.stringify(json)}`);
    },
  },
  "POST /api/v1/traffic/firehose": {
    ok: (f) => ({ json: firehoseBody(), token: f.tokens.aws, headers: { "X-Amz-Firehose-Request-Id": "req-1" } }),
    status: 200,
    invalid: { call: (f) => ({ json: { records: [] }, token: f.tokens.aws }), status: 400 },
    otherTeam: { call: (f) => ({ json: firehoseBody(), token: f.tokens.teamA }) },
    // As a delivery stream sends it: the token as its access key, the request id echoed back.
    more: async (f, client, op) => {
      const { json } = await client.send(
        op,
        {
          json: firehoseBody([awsRecord(), awsRecord()]),
          token: null,
          headers: { "X-Amz-Firehose-Access-Key": f.tokens.aws, "X-Amz-Firehose-Request-Id": "req-2" },
        },
        200,
        "the source's token as the stream's access key",
      );
      if ((json as { requestId?: string }).requestId !== "req-2") throw new Error(`requestId: ${JSON.stringify(json)}`);
    },
  },
  "POST /api/v1/otlp/v1/logs": otlpOperation("logs"),
  "POST /api/v1/otlp/v1/traces": otlpOperation("traces"),
  "GET /api/v1/incidents": { ok: () => ({}), status: 200 },
  "POST /api/v1/incidents": {
    ok: (f) => ({ json: incidentBody([f.apiA]) }),
    status: 201,
    invalid: { call: (f) => ({ json: { ...incidentBody([f.apiA]), severity: 3 } }), status: 400 },
    otherTeam: { call: (f) => ({ json: incidentBody([f.apiB]), token: f.tokens.teamA }) },
  },
  "GET /api/v1/incidents/{id}": {
    ok: (f) => ({ params: { id: f.incidentA } }),
    status: 200,
    otherTeam: { call: (f) => ({ params: { id: f.incidentB }, token: f.tokens.teamA }) },
  },
  "PUT /api/v1/incidents/{id}": {
    ok: async (f) => ({ ...(await freshIncident(f)), json: incidentBody([f.apiA]) }),
    status: 200,
    invalid: {
      call: async (f) => ({ ...(await freshIncident(f)), json: { ...incidentBody([f.apiA]), apiIds: "all" } }),
      status: 400,
    },
    otherTeam: {
      call: (f) => ({
        params: { id: f.incidentB },
        headers: ifMatch('"1"'),
        json: incidentBody([f.apiB]),
        token: f.tokens.teamA,
      }),
    },
  },
  "POST /api/v1/incidents/{id}/advance": {
    ok: async (f) => ({ ...(await freshIncident(f)), json: {} }),
    status: 200,
    invalid: { call: async (f) => ({ ...(await freshIncident(f)), json: { at: 5 } }), status: 400 },
    otherTeam: {
      call: (f) => ({ params: { id: f.incidentB }, headers: ifMatch('"1"'), json: {}, token: f.tokens.teamA }),
    },
    more: async (f, client, op) => {
      const at = new Date(Date.now() - 60_000).toISOString();
      await client.send(op, { ...(await freshIncident(f)), json: { at } }, 200, "at an RFC 3339 time");
      await client.send(op, await freshIncident(f), 200, "with no body");
    },
  },
  "POST /api/v1/incidents/{id}/entries": {
    ok: (f) => ({ params: { id: f.incidentA }, json: { kind: "note", text: `Checked ${unique()}` } }),
    status: 201,
    invalid: { call: (f) => ({ params: { id: f.incidentA }, json: { kind: "gossip", text: "x" } }), status: 400 },
    otherTeam: {
      call: (f) => ({ params: { id: f.incidentB }, json: { kind: "note", text: "x" }, token: f.tokens.teamA }),
    },
  },
  "GET /api/v1/evidence/exports": { ok: () => ({}), status: 200 },
  "POST /api/v1/evidence/exports": {
    // At most two exports per person wait or build at once: the fixture's finish first.
    ok: async (f) => {
      await f.finished(f.exportA);
      await f.finished(f.exportB);
      return { json: { period: PERIOD, teamIds: [f.teamA] } };
    },
    status: 202,
    invalid: { call: () => ({ json: { period: PERIOD, controls: "ism-2013" } }), status: 400 },
    otherTeam: { call: (f) => ({ json: { period: PERIOD, teamIds: [f.teamB] }, token: f.tokens.teamA }) },
    // A third export while two are open: 429 with Retry-After.
    more: async (f, client, op) => {
      const open: string[] = [];
      for (let i = 0; i < 3; i++) {
        const { status, json } = await client.send(op, { json: { period: PERIOD } }, null, `export ${i + 1} at once`);
        if (status === 202) open.push((json as { id: string }).id);
        if (status === 429) break;
      }
      if (open.length > 2) client.problems.push(`${op}: ${open.length} exports open at once, not at most 2`);
      for (const id of open) await f.finished(id);
    },
  },
  "GET /api/v1/evidence/exports/{id}": {
    ok: (f) => ({ params: { id: f.exportA } }),
    status: 200,
    otherTeam: { call: (f) => ({ params: { id: f.exportB }, token: f.tokens.teamA }) },
  },
  "GET /api/v1/evidence/exports/{id}/bundle": {
    ok: async (f) => ({ params: { id: await f.finished(f.exportA) } }),
    status: 200,
    otherTeam: { call: (f) => ({ params: { id: f.exportB }, token: f.tokens.teamA }) },
    // 409 while the bundle is still being built: asked at once, it usually is.
    more: async (f, client, op) =>
      void (await client.send(op, { params: { id: await f.newExport(f.teamA) } }, null, "while it builds")),
  },
  "GET /api/v1/evidence/public-key": { ok: () => ({}), status: 200 },
  "GET /api/v1/reviews/campaigns": { ok: () => ({}), status: 200 },
  "GET /api/v1/reviews/campaigns/{id}": { ok: (f) => ({ params: { id: f.campaign } }), status: 200 },
  "GET /api/v1/reviews/{id}": {
    ok: (f) => ({ params: { id: f.reviewA } }),
    status: 200,
    otherTeam: { call: (f) => ({ params: { id: f.reviewB }, token: f.tokens.teamA }) },
  },
  "GET /api/v1/backstage/catalog": { ok: () => ({}), status: 200 },
  "POST /api/v1/backstage/import": {
    // An import that changes something (one that changes nothing writes nothing, so keeps no answer).
    ok: async (f) => yamlOf(await catalogEntity(f, await f.newApi(), "deprecated")),
    status: 200,
    invalid: { call: () => ({ body: "kind: [unclosed", contentType: "application/yaml" }), status: 400 },
    // The import judges the whole file: an entity of another team is a 400 naming it, nothing written.
    otherTeam: {
      call: async (f) => ({ ...yamlOf(await catalogEntity(f, f.apiB)), token: f.tokens.teamA }),
      status: 400,
    },
    more: async (f, client, op) => {
      const entity = await catalogEntity(f, f.apiA, "deprecated");
      await client.send(op, { query: "dryRun=true", ...yamlOf(entity) }, 200, "a dry run");
    },
  },
};

/** The API's entity as the catalog export gives it, with another lifecycle if given. */
async function catalogEntity(f: Fixture, api: string, lifecycle?: string): Promise<unknown> {
  const response = await fetch(`${f.baseUrl}/api/v1/backstage/catalog`, {
    headers: { authorization: `Bearer ${f.tokens.full}` },
  });
  const entity = parseAllDocuments(await response.text())
    .map((d) => d.toJS() as { kind: string; metadata: { annotations?: Record<string, string> }; spec: object })
    .find((e) => e.kind === "API" && e.metadata.annotations?.["apiledger.io/id"] === api);
  return entity && lifecycle ? { ...entity, spec: { ...entity.spec, lifecycle } } : entity;
}

/** OTLP/HTTP JSON: every record taken, an empty request refused, a record without a method rejected as partial success. */
function otlpOperation(signal: "logs" | "traces"): OperationSpec {
  return {
    ok: (f) => ({ json: otlpJson(signal, [{}, { status: 401 }]), token: f.tokens.otlp }),
    status: 200,
    invalid: {
      call: (f) => ({ json: { [signal === "logs" ? "resourceLogs" : "resourceSpans"]: {} }, token: f.tokens.otlp }),
      status: 400,
    },
    // Any token but a source's is refused, team A's included.
    otherTeam: { call: (f) => ({ json: otlpJson(signal, [{}]), token: f.tokens.teamA }) },
    more: async (f, client, op) => {
      const { json } = await client.send(
        op,
        { json: otlpJson(signal, [{}, { method: "" }]), token: f.tokens.otlp },
        200,
        "a record without a method: partial success",
      );
      const partial = (json as { partialSuccess?: Record<string, string> }).partialSuccess;
      if (partial?.[signal === "logs" ? "rejectedLogRecords" : "rejectedSpans"] !== "1")
        throw new Error(`not a partial success of 1: ${JSON.stringify(json)}`);
    },
  };
}
