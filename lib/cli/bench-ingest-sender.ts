// One instance's senders for `npm run bench:api`'s ingestion across processes (lib/cli/bench-api.ts): a
// process of its own, as a second app instance is, sending batches of events through the service path.
//   node --import tsx --conditions=react-server lib/cli/bench-ingest-sender.ts --admin USER_ID --batches N
//        --senders S --seed X      (DATABASE_URL and APILEDGER_DATA_DIR from the environment)
// It connects, sends one uncounted batch (the first call compiles the code path), builds its N batches,
// prints "ready", waits for a line on stdin, sends them from S concurrent senders and prints "done".
import readline from "node:readline";
import { parseFlags } from "@/lib/cli/run";
import { authEventBatches } from "@/lib/cli/bench-kit";
import type { Actor } from "@/lib/authz/policy";

const BATCH = 10_000;
const flags = parseFlags(process.argv.slice(2));
const count = (name: string) => {
  const n = Number(flags[name]);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a whole number of 1 or more`);
  return n;
};
const [batches, senders, seed] = [count("batches"), count("senders"), count("seed")];
if (typeof flags.admin !== "string") throw new Error("--admin USER_ID is needed");
const actor: Actor = { kind: "user", id: flags.admin, email: "admin@bench.example", role: "ADMIN", teamId: null };

const { db, disconnectDb } = await import("@/lib/db/client");
const { ingestAuthEvents } = await import("@/lib/events/ingest-events");
const apiIds = (await db.api.findMany({ take: 200, select: { id: true } })).map((a) => a.id);
// Each process its own rows (its seed) over the same hours, as gateways in front of one estate send them.
const makeBatch = authEventBatches(apiIds, BATCH, seed);
await ingestAuthEvents({ actor, ip: "bench" }, makeBatch(batches));
const queue = Array.from({ length: batches }, (_, b) => makeBatch(b));

const lines = readline.createInterface({ input: process.stdin });
console.log("ready");
await new Promise((resolve) => lines.once("line", resolve));
await Promise.all(
  Array.from({ length: senders }, async () => {
    for (let batch = queue.shift(); batch; batch = queue.shift()) await ingestAuthEvents({ actor, ip: "bench" }, batch);
  }),
);
console.log("done");
lines.close();
await disconnectDb();
process.exit(0);
