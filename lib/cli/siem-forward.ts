// npm run siem:forward
// Runs the SIEM forwarder on its own (lib/siem/forwarder.ts) until stopped, for operators who keep it out
// of the server's launcher or run it beside a plain `next start`; `npm start` and `npm run worker` run the same
// loop themselves when APILEDGER_SIEM_URL is set. Only one forwarder per installation sends at a time.
import { fail } from "@/lib/cli/run";
import { disconnectDb } from "@/lib/db/client";
import { siemTarget, startForwarder } from "@/lib/siem/forwarder";

let target;
try {
  target = siemTarget();
} catch (error) {
  fail((error as Error).message);
}
if (!target)
  fail(
    "APILEDGER_SIEM_URL is not set (syslog+relp+tls://siem.example:2514, syslog+tls://siem.example:6514 or otlp+https://collector.example:4318).",
  );
const idleMs = Number(process.env.APILEDGER_SIEM_IDLE_MS ?? 2000);
const batch = Number(process.env.APILEDGER_SIEM_BATCH ?? 500);
const forwarder = startForwarder(target, { idleMs, batch, log: (line) => console.log(line) });
console.log(
  `SIEM forwarder: sending the audit log to ${target.host}:${target.port} (${target.relp ? "RELP over " : ""}${target.transport}, ${target.format})`,
);
const stop = async () => {
  await forwarder.stop();
  await disconnectDb();
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
