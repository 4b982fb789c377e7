// npm run bench:traffic [-- --postgres] [--apis 50000] [--records 200000] [--per-request 5000] [--senders 4]
// Gateway traffic through HTTP, as a Collector sends it: OTLP/HTTP JSON log records, gzip-compressed, in
// requests of --per-request records, from --senders concurrent senders to a started production server,
// with routing (one rule per API host) and de-duplication on. Beside it, in the same run: the in-process
// service path (the same kind of bodies gunzipped, parsed and stored by ingestTraffic, no HTTP) and the
// driver-only ceiling of the same rows (lib/cli/bench-kit.ts, driverCeiling).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { gunzipSync, gzipSync } from "node:zlib";
import { parseFlags } from "@/lib/cli/run";
import { driverCeiling, mulberry32, seedBenchInventory, startSignedInServer } from "@/lib/cli/bench-kit";
import { createTestDatabase } from "@/lib/testing/test-db";
import { newEventBatch } from "@/lib/events/event-id";

const flags = parseFlags(process.argv.slice(2));
const provider = flags.postgres ? "postgres" : "sqlite";
const N = Number(flags.apis ?? 50_000);
const RECORDS = Number(flags.records ?? 200_000);
const PER_REQUEST = Number(flags["per-request"] ?? 5_000);
const SENDERS = Number(flags.senders ?? 4);
const ROUTED_APIS = 200;
const CALLERS = 500;
const PORT = Number(flags.port ?? 3310);
const PASSWORD = "bench-password-123";

console.log(
  `bench:traffic ${provider}, ${N.toLocaleString()} APIs, ${RECORDS.toLocaleString()} records per phase in requests of ${PER_REQUEST.toLocaleString()}, ${SENDERS} senders, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`,
);
const database = await createTestDatabase(provider);
process.env.DATABASE_URL = database.url;
process.env.APILEDGER_DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "apiledger-bench-traffic-"));
const { db, disconnectDb } = await import("@/lib/db/client");
const { createTrafficSource } = await import("@/lib/traffic/create-source");
const { createTrafficRoute } = await import("@/lib/traffic/routes");
const { ingestTraffic } = await import("@/lib/traffic/ingest-traffic");
const { readOtlpBatch } = await import("@/lib/traffic/otlp-reader");
const { TRAFFIC_LIMITS } = await import("@/lib/rest/event-batch");
const { MAX_BATCH } = await import("@/lib/events/schemas");
const { signedInActor, tokenActor } = await import("@/lib/testing/actors");
const { teams } = await seedBenchInventory(database, N, PASSWORD);

// One team's first 200 APIs, each behind its own host with a routing rule, as a gateway in front of many.
const team = teams[0]!;
const admin = await signedInActor("admin@bench.example");
const routed = await db.api.findMany({ where: { teamId: team }, take: ROUTED_APIS, select: { id: true } });
for (const [i, api] of routed.entries())
  await createTrafficRoute(
    { actor: admin },
    { teamId: team, apiId: api.id, host: `api-${i}.internal.example`, pathPrefix: "", gatewayRoute: "" },
  );
const source = await createTrafficSource(
  { actor: admin },
  { name: "Bench Collector", profile: "otlp", lenient: true, teamId: team, apiId: "" },
);

const rand = mulberry32(11);
const attribute = (key: string, value: string | number) => ({
  key,
  value: typeof value === "number" ? { intValue: String(value) } : { stringValue: value },
});
/** A request's records: distinct times, so no record is taken for a retry of another. */
type Call = { at: number; host: number; method: string; path: string; status: number; client: string };
function calls(phase: number, request: number): Call[] {
  return Array.from({ length: PER_REQUEST }, (_, i) => {
    const r = rand();
    return {
      at: Date.now() - 3_600_000 + phase * 1_000_000 + request * PER_REQUEST + i,
      host: Math.floor(rand() * routed.length),
      method: ["GET", "GET", "POST", "PUT", "DELETE"][Math.floor(rand() * 5)]!,
      path: `/v1/resource/${Math.floor(rand() * 100)}`,
      status: r < 0.02 ? 401 : r < 0.03 ? 403 : 200,
      client: `client-${Math.floor(rand() * CALLERS)}`,
    };
  });
}
const body = (batch: Call[]) =>
  gzipSync(
    JSON.stringify({
      resourceLogs: [
        {
          resource: { attributes: [attribute("service.name", "edge-gateway")] },
          scopeLogs: [
            {
              scope: { name: "access-log" },
              logRecords: batch.map((c) => ({
                timeUnixNano: `${c.at}000000`,
                attributes: [
                  attribute("http.request.method", c.method),
                  attribute("url.path", c.path),
                  attribute("server.address", `api-${c.host}.internal.example`),
                  attribute("http.response.status_code", c.status),
                  attribute("apiledger.client.id", c.client),
                ],
              })),
            },
          ],
        },
      ],
    }),
  );
const requests = Math.ceil(RECORDS / PER_REQUEST);
const phase = (n: number) => Array.from({ length: requests }, (_, r) => calls(n, r));
const serviceCalls = phase(1);
const httpCalls = phase(2);
const serviceBodies = serviceCalls.map(body);
const httpBodies = httpCalls.map(body);
const mb = (bodies: Buffer[]) => bodies.reduce((n, b) => n + b.length, 0) / requests / 2 ** 20;
console.log(`request bodies: ${mb(httpBodies).toFixed(2)} MB gzip each`);

// --- In-process: the service path without HTTP (gunzip, parse, read, route, de-duplicate, store) -------
const actor = await tokenActor(source.secret);
// As the OTLP/HTTP route reads a body: on the reading thread (lib/traffic/otlp-reader.ts).
const ingest = (gz: Buffer) =>
  ingestTraffic({ actor, ip: "bench" }, (_profile, _mapping, now) =>
    readOtlpBatch("logs", "json", gunzipSync(gz), now, { ...TRAFFIC_LIMITS, maxRecords: MAX_BATCH }),
  );
await ingest(body(calls(0, 0))); // warm-up, not counted
let t0 = performance.now();
const queue = [...serviceBodies];
await Promise.all(
  Array.from({ length: SENDERS }, async () => {
    for (let b = queue.shift(); b; b = queue.shift()) await ingest(b);
  }),
);
const serviceSeconds = (performance.now() - t0) / 1000;
await disconnectDb();
// --in-process-only: the service path alone (profiling it).
if (flags["in-process-only"]) {
  console.log(`in-process: ${Math.round((requests * PER_REQUEST) / serviceSeconds)} records/s`);
  await database.drop();
  process.exit(0);
}

// --- Over HTTP: a production server, the OTLP/HTTP route, the source's token ---------------------------
const server = await startSignedInServer(database.url, PORT, "admin@bench.example", PASSWORD, {
  APILEDGER_API_RATE_PER_MINUTE: "100000000",
  APILEDGER_ADDRESS_RATE_PER_MINUTE: "100000000",
});
const url = `${server.base}/api/v1/otlp/v1/logs`;
let retried = 0;
const send = async (gz: Buffer) => {
  for (;;) {
    const response = await fetch(url, {
      method: "POST",
      headers: {
        authorization: `Bearer ${source.secret}`,
        "content-type": "application/json",
        "content-encoding": "gzip",
      },
      body: new Uint8Array(gz),
    });
    await response.arrayBuffer();
    if (response.status === 200) return;
    // Back-pressure: wait as told and send again, as an exporter does.
    if (response.status !== 503 && response.status !== 429) throw new Error(`HTTP ${response.status}`);
    retried++;
    await new Promise((r) => setTimeout(r, 1000 * Number(response.headers.get("retry-after") ?? 1)));
  }
};
await send(body(calls(0, 1))); // warm-up, not counted
t0 = performance.now();
const httpQueue = [...httpBodies];
await Promise.all(
  Array.from({ length: SENDERS }, async () => {
    for (let b = httpQueue.shift(); b; b = httpQueue.shift()) await send(b);
  }),
);
const httpSeconds = (performance.now() - t0) / 1000;
server.stop();

// Everything sent was stored (nothing quarantined, nothing unrouted, nothing taken for a retry).
const { db: again, disconnectDb: disconnectAgain } = await import("@/lib/db/client");
const counts = await again.trafficSource.findUniqueOrThrow({ where: { id: source.id } });
await disconnectAgain();
const expected = BigInt(2 * (requests * PER_REQUEST + PER_REQUEST));
if (counts.stored !== expected || counts.quarantined !== 0n || counts.unrouted !== 0n)
  throw new Error(`stored ${counts.stored} of ${expected}: ${JSON.stringify(counts, (_k, v: unknown) => String(v))}`);

// --- The ceiling: the same rows, the driver alone -----------------------------------------------------
const apiOf = routed.map((a) => a.id);
const flat = httpCalls.flat();
const ids = newEventBatch(flat.length, new Date()).ids;
const outcome = (status: number) => (status === 401 ? "authn_failure" : status === 403 ? "authz_denied" : "success");
const rows = flat.map((c, i) => [
  ids[i]!,
  new Date(c.at).toISOString(),
  apiOf[c.host]!,
  c.client,
  "",
  outcome(c.status),
  "",
  c.method,
  c.path,
]);
const rawSeconds = await driverCeiling(provider, database.url, rows, PER_REQUEST);
await database.drop();

const rate = (seconds: number) => Math.round((requests * PER_REQUEST) / seconds);
const [http, service, ceiling] = [rate(httpSeconds), rate(serviceSeconds), rate(rawSeconds)];
console.table({
  "OTLP/HTTP JSON+gzip, through the server": { "records/s": http, "503 retries": retried },
  "In-process service path (same bodies, no HTTP)": { "records/s": service },
  "Same rows, driver alone (ceiling)": { "records/s": ceiling },
});
console.log(
  `HTTP / in-process ${(http / service).toFixed(2)}, in-process / ceiling ${(service / ceiling).toFixed(2)}, HTTP / ceiling ${(http / ceiling).toFixed(2)}`,
);
process.exit(0);
