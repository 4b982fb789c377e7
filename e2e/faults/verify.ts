// The checker: reads the database directly (not through the app under test) and compares it with what
// the clients were told. Also runs `npm run audit:verify` as an operator would.
import { spawnSync } from "node:child_process";
import Database from "better-sqlite3";
import pg from "pg";
import type { Answer, Ledger } from "./workload";
import { ROOT } from "@/lib/testing/app-process";

type Row = Record<string, unknown>;
export type Reader = { all: (sql: string) => Promise<Row[]>; close: () => Promise<void> };

export async function openReader(url: string): Promise<Reader> {
  if (url.startsWith("file:")) {
    const file = new Database(url.slice("file:".length), { readonly: true });
    return { all: async (sql) => file.prepare(sql).all() as Row[], close: async () => void file.close() };
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return { all: async (sql) => (await client.query(sql)).rows as Row[], close: () => client.end() };
}

const list = (values: string[]) => (values.length ? values.map((v) => `'${v.replace(/'/g, "''")}'`).join(", ") : "''");

/** Every acknowledged write present exactly once, no partial event batch; returns the problems found. */
export async function checkLedger(db: Reader, ledger: Ledger, run: string): Promise<string[]> {
  const problems: string[] = [];
  // Creates: each acknowledged one stored once, under the id the client was given; nothing else.
  const apis = await db.all(`SELECT id, name FROM "Api" WHERE name LIKE 'fault-${run}-c%'`);
  const byName = new Map<string, string[]>();
  for (const a of apis) byName.set(String(a.name), [...(byName.get(String(a.name)) ?? []), String(a.id)]);
  for (const c of ledger.creates) {
    const ids = byName.get(c.name) ?? [];
    if (ids.length !== 1 || ids[0] !== c.id)
      problems.push(`create ${c.key}: acknowledged as ${c.id}, stored as [${ids.join(", ")}]`);
  }
  if (apis.length !== ledger.creates.length)
    problems.push(`${apis.length} fault APIs stored, ${ledger.creates.length} acknowledged`);
  // Updates: one version per acknowledged update, none applied twice, the last one's content kept.
  for (const apiId of new Set(ledger.updates.map((u) => u.apiId))) {
    const acked = ledger.updates.filter((u) => u.apiId === apiId);
    const [row] = await db.all(`SELECT version, purpose FROM "Api" WHERE id = '${apiId}'`);
    const [entries] = await db.all(
      `SELECT count(*) AS n FROM "AuditEntry" WHERE action = 'api.update' AND "targetId" = '${apiId}'`,
    );
    if (Number(row?.version) !== 1 + acked.length)
      problems.push(`API ${apiId}: version ${String(row?.version)} after ${acked.length} acknowledged updates`);
    if (Number(entries?.n) !== acked.length)
      problems.push(
        `API ${apiId}: ${String(entries?.n)} update audit entries for ${acked.length} acknowledged updates`,
      );
    if (row?.purpose !== acked.at(-1)?.purpose)
      problems.push(`API ${apiId}: purpose "${String(row?.purpose)}", last acknowledged "${acked.at(-1)?.purpose}"`);
  }
  // Event batches: whole or absent, never twice; each acknowledged one present with its audit entry.
  const counts = await db.all(
    `SELECT principal, count(*) AS n FROM "AuthEvent" WHERE principal LIKE 'fb-${run}-%' GROUP BY principal`,
  );
  const stored = new Map(counts.map((c) => [String(c.principal), Number(c.n)]));
  for (const b of ledger.batches)
    if (stored.get(b.principal) !== b.size)
      problems.push(`batch ${b.key}: ${stored.get(b.principal) ?? 0} of ${b.size} events stored`);
  for (const [principal, n] of stored)
    if (!ledger.batches.some((b) => b.principal === principal))
      problems.push(`batch ${principal}: ${n} events stored but never acknowledged`);
  const [ingests] = await db.all(
    `SELECT count(*) AS n FROM "AuditEntry" WHERE action = 'events.ingest' AND "targetId" IN (${list(ledger.batches.map((b) => b.batchId))})`,
  );
  if (Number(ingests?.n) !== ledger.batches.length)
    problems.push(
      `${String(ingests?.n)} events.ingest audit entries for ${ledger.batches.length} acknowledged batches`,
    );
  // Incidents: each acknowledged report stored once under the id the client was given, with its audit entry.
  if (!ledger.incidents.length) problems.push("no incident report was acknowledged");
  const incidents = await db.all(`SELECT id, title FROM "Incident" WHERE title LIKE 'fault-${run}-i%'`);
  const reported = new Map<string, string[]>();
  for (const i of incidents) reported.set(String(i.title), [...(reported.get(String(i.title)) ?? []), String(i.id)]);
  for (const i of ledger.incidents) {
    const ids = reported.get(i.title) ?? [];
    if (ids.length !== 1 || ids[0] !== i.id)
      problems.push(`incident ${i.key}: acknowledged as ${i.id}, stored as [${ids.join(", ")}]`);
  }
  if (incidents.length !== ledger.incidents.length)
    problems.push(`${incidents.length} fault incidents stored, ${ledger.incidents.length} acknowledged`);
  const [reports] = await db.all(
    `SELECT count(*) AS n FROM "AuditEntry" WHERE action = 'incident.report' AND "targetId" IN (${list(incidents.map((i) => String(i.id)))})`,
  );
  if (Number(reports?.n) !== incidents.length)
    problems.push(`${String(reports?.n)} incident.report audit entries for ${incidents.length} stored incidents`);
  return problems;
}

/** `npm run audit:verify` against the same database, as an operator runs it. */
export function auditVerify(env: NodeJS.ProcessEnv): { ok: boolean; output: string } {
  const result = spawnSync("npm", ["run", "--silent", "audit:verify"], { cwd: ROOT, env, encoding: "utf8" });
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}`.trim() };
}

/**
 * The REST call log's loss against its documented bound: a crash loses the calls answered since the
 * last batch committed — the last second's, and the batch being written, whose commit takes as long
 * as a write takes then (it queues at the audit chain like every write). So per kill the bound is the
 * calls answered within 1 s + the slowest write answered in the 3 s before it + 0.5 s (timer slack)
 * of the kill. Calls answered during a database outage are held and written afterwards, so they count
 * as answered and must be there. The database is the scenario's own and this client its only caller,
 * so every row is one of its calls.
 */
export async function callLogLoss(
  db: Reader,
  answers: Answer[],
  kills: number[],
): Promise<{ answered: number; logged: number; lost: number; bound: number; windowsMs: number[] }> {
  const [row] = await db.all(`SELECT count(*) AS n FROM "ApiCallLog"`);
  const logged = Number(row?.n);
  const windowsMs = kills.map(
    (k) =>
      1500 + Math.max(0, ...answers.filter((a) => a.write && a.at > k - 3000 && a.at <= k).map((a) => a.at - a.sent)),
  );
  const bound = kills.reduce(
    (sum, k, i) => sum + answers.filter((a) => a.at > k - windowsMs[i]! && a.at <= k).length,
    0,
  );
  return { answered: answers.length, logged, lost: Math.max(0, answers.length - logged), bound, windowsMs };
}

/** For diagnosis: answered / logged calls per 2-second bucket, with the kills and outages on that clock. */
export async function callLogTimeline(
  db: Reader,
  answers: Answer[],
  kills: number[],
  outages: { start: number; end: number }[],
): Promise<string> {
  const t0 = Math.min(...answers.map((a) => a.at));
  const bucket = (t: number) => Math.floor((t - t0) / 2000) * 2;
  const buckets = new Map<number, { answered: number; logged: number }>();
  const slot = (t: number) =>
    buckets.get(bucket(t)) ?? buckets.set(bucket(t), { answered: 0, logged: 0 }).get(bucket(t))!;
  for (const a of answers) slot(a.at).answered++;
  for (const r of await db.all(`SELECT at FROM "ApiCallLog"`))
    slot(new Date(r.at instanceof Date ? r.at : String(r.at)).getTime()).logged++;
  const drops = (
    await db.all(`SELECT summary FROM "AuditEntry" WHERE action = 'rest.calls' AND summary LIKE '%could not%'`)
  ).map((r) => String(r.summary));
  return [
    `kills at ${kills.map((k) => `${(k - t0) / 1000}s`).join(", ")}; outages ${outages.map((o) => `${(o.start - t0) / 1000}–${(o.end - t0) / 1000}s`).join(", ")}`,
    [...buckets.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([t, b]) => `${t}s: ${b.answered}/${b.logged}`)
      .join("  "),
    ...drops,
  ].join("\n");
}
