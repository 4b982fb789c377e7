import "server-only";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { authorizedWrite, nothingToWrite, type WriteContext } from "@/lib/audit/authorized-write";
import { canonicalJson } from "@/lib/audit/chain";
import { db } from "@/lib/db/client";
import { AppError, isAppError } from "@/lib/errors";
import { dataDir } from "@/lib/runtime/secrets";
import { checkScope, scopeTeam } from "@/lib/evidence/prepare-export";
import { exportEvidenceBundle, type ExportProgress } from "@/lib/evidence/export-bundle";

type Job = { id: string; write: WriteContext; scope: unknown };

// One export at a time per instance: a bundle of a million events takes most of a minute and two cores,
// and running several at once would only slow each one down. The instance that accepted a request
// builds it (the queue is in its memory, on globalThis so every route bundle of the server shares it);
// what every instance must see is in the export's row: how far it has got, and a heartbeat the builder
// renews while the export waits or builds. An export whose heartbeat stopped — its instance was stopped
// or lost — is failed by whichever instance notices (failLapsedExports); one another instance is still
// building is left alone.
type Jobs = { queue: Job[]; running: boolean; mine: Set<string>; beat: NodeJS.Timeout | null };
const state = globalThis as unknown as { apiledgerEvidence?: Jobs };
const jobs: Jobs = (state.apiledgerEvidence ??= { queue: [], running: false, mine: new Set(), beat: null });

/** This process, as export rows name their builder. */
export const RUNNER = `${os.hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
/** How often the builder renews its exports' heartbeat, and how long a silent one is believed. */
export const HEARTBEAT_SECONDS = 10;
export const LAPSE_SECONDS = 60;

export function bundlePath(id: string): string {
  return path.join(dataDir(), "evidence", `${id}.zip`);
}

/** An export's progress as its row records it (whichever instance builds it). */
export function exportProgress(row: { progress: string }): ExportProgress | null {
  if (!row.progress) return null;
  try {
    return JSON.parse(row.progress) as ExportProgress;
  } catch {
    return null;
  }
}

const SYSTEM = { kind: "system" as const, id: null, email: "evidence-exports@apiledger" };

/** Renews the heartbeat of this instance's open exports, and records one's progress when given. */
async function beat(progress?: { id: string; value: ExportProgress }): Promise<void> {
  const ids = [...jobs.mine];
  if (!ids.length) return;
  await authorizedWrite(
    { actor: SYSTEM },
    { permission: "evidence:record-progress", countsOnly: "evidence:record-progress" },
    async (tx) => {
      const now = new Date();
      await tx.evidenceExport.updateMany({
        where: { id: { in: ids }, runner: RUNNER, status: "QUEUED" },
        data: { heartbeatAt: now },
      });
      if (progress)
        await tx.evidenceExport.updateMany({
          where: { id: progress.id, runner: RUNNER, status: "QUEUED" },
          data: { progress: JSON.stringify(progress.value) },
        });
    },
  );
}

function keepBeating(): void {
  if (jobs.beat) return;
  jobs.beat = setInterval(() => {
    if (!jobs.mine.size) {
      clearInterval(jobs.beat!);
      jobs.beat = null;
      return;
    }
    beat().catch((error) => console.error("apiledger: could not renew the evidence exports' heartbeat", error));
  }, HEARTBEAT_SECONDS * 1000);
  jobs.beat.unref();
}

/**
 * Exports one person may have queued or running at once: the queue is shared and each build takes most
 * of a minute of both cores, so one person (or one leaked token) must not be able to fill it.
 */
export const MAX_OPEN_EXPORTS_PER_PERSON = 2;

/** Checks the scope, records the request (audited) and queues the build. */
export async function requestEvidenceExport(write: WriteContext, rawScope: unknown): Promise<{ id: string }> {
  const { scope } = await checkScope(write.actor, rawScope);
  const asked = { period: scope.period, controls: scope.controls, teamIds: scope.teamIds, apiIds: scope.apiIds };
  const job = await authorizedWrite(
    write,
    { permission: "evidence:export", loadTarget: async () => ({ teamId: scopeTeam(scope) }) },
    async (tx, audit) => {
      // Counted inside the write, where writers take turns, so two requests at once cannot both slip under.
      const open = await tx.evidenceExport.count({ where: { requestedBy: write.actor.email, status: "QUEUED" } });
      if (open >= MAX_OPEN_EXPORTS_PER_PERSON) {
        // Retry-After (REST): a bundle of a million events takes most of a minute.
        throw Object.assign(
          new AppError(
            "RATE_LIMITED",
            `You already have ${open} evidence exports queued or running (at most ${MAX_OPEN_EXPORTS_PER_PERSON} at a time). Wait for one to finish, then request again.`,
          ),
          { retryAfter: 60 },
        );
      }
      const created = await tx.evidenceExport.create({
        data: {
          requestedById: write.actor.id,
          requestedBy: write.actor.email,
          scope: canonicalJson(asked),
          period: scope.period,
          teamId: scopeTeam(scope),
          runner: RUNNER,
          heartbeatAt: new Date(),
          progress: JSON.stringify({ step: "Waiting for the export before it", done: 0, total: 1 }),
        },
      });
      await audit({
        action: "evidence.export-requested",
        targetType: "evidence-export",
        targetId: created.id,
        summary: `Evidence bundle for ${scope.period} requested`,
        details: { scope: asked },
      });
      return created;
    },
  );
  jobs.queue.push({ id: job.id, write: { actor: write.actor, ip: write.ip }, scope: asked });
  jobs.mine.add(job.id);
  keepBeating();
  void drain();
  return { id: job.id };
}

async function drain(): Promise<void> {
  if (jobs.running) return;
  jobs.running = true;
  try {
    for (let job = jobs.queue.shift(); job; job = jobs.queue.shift()) await run(job);
  } finally {
    jobs.running = false;
  }
}

async function run(job: Job): Promise<void> {
  const file = bundlePath(job.id);
  const partial = `${file}.partial`;
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  // Progress is written at most once a second, and never while the last write is still waiting for its
  // turn (a long write elsewhere holds the writers' lock): those would only queue up, each holding a
  // connection. The end of the build supersedes whatever was skipped.
  let lastWritten = 0;
  let writing = false;
  const onProgress = (value: ExportProgress) => {
    const now = Date.now();
    if (writing || now - lastWritten < 1000) return;
    lastWritten = now;
    writing = true;
    beat({ id: job.id, value })
      .catch((error) => console.error("apiledger: could not record an export's progress", error))
      .finally(() => (writing = false));
  };
  try {
    const result = await exportEvidenceBundle(job.write, job.scope, fs.createWriteStream(partial, { mode: 0o600 }), {
      onProgress,
      // The row names its manifest from the moment the custody entry exists, so an outcome recorded
      // later (even by the next start, after a crash) can be matched to that entry.
      onCustody: async (tx, manifestSha256) => {
        await tx.evidenceExport.update({ where: { id: job.id }, data: { manifestSha256 } });
      },
    });
    fs.renameSync(partial, file);
    await finish(
      job.id,
      {
        status: "DONE",
        manifestSha256: result.manifestSha256,
        sha256: result.sha256,
        bytes: BigInt(result.bytes),
        files: result.files,
      },
      `Evidence bundle for ${result.period} stored (${(result.bytes / 1048576).toFixed(1)} MB)`,
    );
  } catch (error) {
    fs.rmSync(partial, { force: true });
    if (!isAppError(error)) console.error("Evidence export failed", error);
    const message = isAppError(error)
      ? error.message
      : "The export failed on the server; the server log has the details. Try again.";
    await finish(job.id, { status: "FAILED", error: message }, `Evidence export failed: ${message}`).catch((e) =>
      console.error("Could not record the failed export", e),
    );
  } finally {
    jobs.mine.delete(job.id);
  }
}

async function finish(
  id: string,
  data: {
    status: "DONE" | "FAILED";
    error?: string;
    manifestSha256?: string;
    sha256?: string;
    bytes?: bigint;
    files?: number;
  },
  summary: string,
  /** Only while the export is still open, and (for a lapse) still silent since that was seen. */
  still: { heartbeatBefore?: Date } = {},
): Promise<boolean> {
  return authorizedWrite({ actor: SYSTEM }, { permission: "evidence:export" }, async (tx, audit) => {
    const open = await tx.evidenceExport.updateMany({
      where: {
        id,
        status: "QUEUED",
        ...(still.heartbeatBefore ? { heartbeatAt: { lt: still.heartbeatBefore } } : {}),
      },
      data: { ...data, progress: "", finishedAt: new Date() },
    });
    // Finished meanwhile by its builder, or its heartbeat came back: nothing to record.
    if (!open.count) return nothingToWrite(false);
    const row = await tx.evidenceExport.findUniqueOrThrow({ where: { id }, select: { manifestSha256: true } });
    await audit({
      action: data.status === "DONE" ? "evidence.export-stored" : "evidence.export-failed",
      targetType: "evidence-export",
      targetId: id,
      summary,
      details: {
        status: data.status,
        sha256: data.sha256 ?? null,
        manifestSha256: row.manifestSha256 || null,
        error: data.error ?? null,
      },
    });
    return true;
  });
}

/**
 * Fails the exports whose builder stopped renewing their heartbeat for LAPSE_SECONDS: its instance was
 * stopped, killed or cut off. Run at every start and then periodically by every instance (lib/cli/start.ts);
 * an export another instance is building renews its heartbeat and is left alone.
 */
export async function failLapsedExports(now = new Date()): Promise<number> {
  const before = new Date(now.getTime() - LAPSE_SECONDS * 1000);
  const lapsed = await db.evidenceExport.findMany({
    where: { status: "QUEUED", OR: [{ heartbeatAt: { lt: before } }, { heartbeatAt: null }] },
    select: { id: true, runner: true },
  });
  let failed = 0;
  for (const { id, runner } of lapsed) {
    const recorded = await finish(
      id,
      {
        status: "FAILED",
        error: "The instance building the export stopped before it finished. Request it again.",
      },
      `Evidence export interrupted: its instance (${runner || "unknown"}) stopped`,
      { heartbeatBefore: before },
    );
    if (recorded) {
      failed++;
      // The partial file, when the stopped builder was on this machine's data folder.
      fs.rmSync(`${bundlePath(id)}.partial`, { force: true });
    }
  }
  return failed;
}
