// Run by the cluster proof: one retention roll-up as the job runs it (lib/events/roll-up.ts), in a process
// of its own, so that several run at once on one PostgreSQL beside the instances and the worker, and one
// can be killed in the middle of a chunk (APILEDGER_FAILPOINT=roll-up:chunk-folded). The argument is the
// chunk size. Prints the number of events this process rolled up, as one line of JSON.
import { disconnectDb } from "@/lib/db/client";
import { rollUpOldEvents } from "@/lib/events/roll-up";

const chunk = Number(process.argv[2] ?? 10_000);
const count = await rollUpOldEvents(new Date(), chunk);
console.log(JSON.stringify({ count }));
await disconnectDb();
