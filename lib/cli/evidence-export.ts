// npm run evidence:export -- --period 2026-Q4 --out bundle.zip [--controls ism-2013,ism-2014]
//   [--teams "Payments,Identity & Access"] [--apis id1,id2] [--as auditor@example.com]
// Writes a signed evidence bundle for scheduled exports. The export is audited like one from the UI:
// under --as (an active auditor or admin) or as the installation's operator. SOURCE_DATE_EPOCH (seconds)
// pins the export time, so the same data gives a byte-identical bundle.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fail, parseFlags } from "@/lib/cli/run";
import { db, disconnectDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Actor, Role } from "@/lib/authz/policy";
import { exportEvidenceBundle } from "@/lib/evidence/export-bundle";

// Read at the first query: a one-pass read of the data needs no large page cache.
process.env.APILEDGER_SQLITE_CACHE_MB ??= "8";
const flags = parseFlags(process.argv.slice(2));
const text = (key: string) => (typeof flags[key] === "string" ? (flags[key] as string) : "");
const list = (key: string) => text(key).split(",").map((v) => v.trim()).filter(Boolean);
if (!text("period") || !text("out")) fail("usage: npm run evidence:export -- --period 2026-Q4 --out bundle.zip [--controls ism-2013,…] [--teams name,…] [--apis id,…] [--as email]");

let actor: Actor = { kind: "system", id: null, email: `operator:${os.userInfo().username}@${os.hostname()}` };
if (text("as")) {
  const user = await db.user.findUnique({ where: { email: text("as").toLowerCase() } });
  if (!user || !user.isActive) fail(`No active user has the e-mail ${text("as")}.`);
  actor = { kind: "user", id: user.id, email: user.email, role: user.role as Role, teamId: user.teamId };
}
const teams = await db.team.findMany({ select: { id: true, name: true } });
const teamIds = list("teams").map((t) => teams.find((x) => x.name.toLowerCase() === t.toLowerCase() || x.id === t)?.id ?? t);
const epoch = process.env.SOURCE_DATE_EPOCH?.trim();
const now = epoch ? new Date(Number(epoch) * 1000) : new Date();
if (Number.isNaN(now.getTime())) fail("SOURCE_DATE_EPOCH must be a number of seconds.");

const out = path.resolve(text("out"));
const partial = `${out}.partial`;
try {
  const result = await exportEvidenceBundle({ actor, ip: "cli" }, { period: text("period"), controls: list("controls"), teamIds, apiIds: list("apis") }, fs.createWriteStream(partial), {
    now,
    onProgress: (p) => process.stderr.write(`[${p.done}/${p.total}] ${p.step}\n`),
  });
  fs.renameSync(partial, out);
  console.log(`Wrote ${out}: ${result.files} files, ${(result.bytes / 1048576).toFixed(1)} MB, period ${result.period}.`);
  console.log(`Manifest SHA-256 ${result.manifestSha256} (recorded in the audit log).`);
} catch (error) {
  fs.rmSync(partial, { force: true });
  if (error instanceof AppError) {
    const details = Object.entries(error.fieldErrors ?? {}).map(([k, v]) => `  ${k}: ${v.join(" ")}`);
    fail([error.message, ...details].join("\n"));
  }
  throw error;
} finally {
  await disconnectDb();
}
