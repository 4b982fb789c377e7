// npm run evidence:export -- --period 2026-Q4 --out bundle.zip [--controls ism-2013,ism-2014]
//   [--teams "Payments,Identity & Access"] [--apis id1,id2] [--as auditor@example.com]
// Writes a signed evidence bundle for scheduled exports. The export is audited like one from the UI:
// under --as (an active auditor or admin) or as the installation's operator. SOURCE_DATE_EPOCH (seconds)
// pins the export time. Custody as on the server: the export entry is written before the archive can be
// complete, and its outcome (stored, or failed with the reason) is its own entry after, so an export
// entry with no outcome is visibly one that was interrupted (killed, or the machine stopped).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { fail, parseFlags } from "@/lib/cli/run";
import { db, disconnectDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import type { Actor, Role } from "@/lib/authz/policy";
import { exportEvidenceBundle } from "@/lib/evidence/export-bundle";
import { recordCliExportOutcome } from "@/lib/evidence/custody";
import { useBuiltEventWorker } from "@/lib/evidence/event-rows";

// Read at the first query: a one-pass read of the data needs no large page cache.
process.env.APILEDGER_SQLITE_CACHE_MB ??= "8";
// The events' worker thread, bundled beside this file by the npm script (see package.json).
useBuiltEventWorker(fileURLToPath(new URL("./event-rows.worker.mjs", import.meta.url)));
const flags = parseFlags(process.argv.slice(2));
const text = (key: string) => (typeof flags[key] === "string" ? (flags[key] as string) : "");
const list = (key: string) =>
  text(key)
    .split(",")
    .map((v) => v.trim())
    .filter(Boolean);
if (!text("period") || !text("out"))
  fail(
    "usage: npm run evidence:export -- --period 2026-Q4 --out bundle.zip [--controls ism-2013,…] [--teams name,…] [--apis id,…] [--as email]",
  );

let actor: Actor = { kind: "system", id: null, email: `operator:${os.userInfo().username}@${os.hostname()}` };
if (text("as")) {
  const user = await db.user.findUnique({ where: { email: text("as").toLowerCase() } });
  if (!user || !user.isActive) fail(`No active user has the e-mail ${text("as")}.`);
  actor = { kind: "user", id: user.id, email: user.email, role: user.role as Role, teamId: user.teamId };
}
const teams = await db.team.findMany({ select: { id: true, name: true } });
const teamIds = list("teams").map(
  (t) => teams.find((x) => x.name.toLowerCase() === t.toLowerCase() || x.id === t)?.id ?? t,
);
const epoch = process.env.SOURCE_DATE_EPOCH?.trim();
const now = epoch ? new Date(Number(epoch) * 1000) : new Date();
if (Number.isNaN(now.getTime())) fail("SOURCE_DATE_EPOCH must be a number of seconds.");

const out = path.resolve(text("out"));
const partial = `${out}.partial`;
// A run killed outright (SIGKILL, power loss) cannot remove its partial file; it is 0600, and the next
// export to the same path says so and writes over it.
if (fs.existsSync(partial)) console.error(`note: replacing ${partial}, left by an export that was interrupted.`);
const write = { actor, ip: "cli" };
// Set once the custody entry is committed: from then on the export's outcome must be recorded too.
let custody: string | null = null;
const recordFailure = (reason: string) =>
  custody
    ? recordCliExportOutcome(write, custody, { error: reason }).catch((e) =>
        console.error("error: could not record the failed export in the audit log:", e),
      )
    : Promise.resolve();
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    fs.rmSync(partial, { force: true });
    void recordFailure(`interrupted by ${signal}`).finally(() => process.exit(1));
  });
}
try {
  // 0600 like every bundle the server writes: a half-written bundle is evidence too.
  const result = await exportEvidenceBundle(
    write,
    { period: text("period"), controls: list("controls"), teamIds, apiIds: list("apis") },
    fs.createWriteStream(partial, { mode: 0o600 }),
    {
      now,
      onProgress: (p) => process.stderr.write(`[${p.done}/${p.total}] ${p.step}\n`),
      onCustody: async (_tx, manifestSha256) => {
        custody = manifestSha256;
      },
    },
  );
  fs.renameSync(partial, out);
  await recordCliExportOutcome(write, result.manifestSha256, { sha256: result.sha256, bytes: result.bytes, file: out });
  console.log(
    `Wrote ${out}: ${result.files} files, ${(result.bytes / 1048576).toFixed(1)} MB, period ${result.period}.`,
  );
  console.log(`Manifest SHA-256 ${result.manifestSha256} (recorded in the audit log).`);
} catch (error) {
  fs.rmSync(partial, { force: true });
  await recordFailure(error instanceof AppError ? error.message : `${(error as Error).message ?? error}`);
  if (error instanceof AppError) {
    const details = Object.entries(error.fieldErrors ?? {}).map(([k, v]) => `  ${k}: ${v.join(" ")}`);
    fail([error.message, ...details].join("\n"));
  }
  throw error;
} finally {
  await disconnectDb();
}
