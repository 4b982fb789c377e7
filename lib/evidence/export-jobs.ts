import "server-only";
import fs from "node:fs";
import path from "node:path";
import { authorizedWrite, type WriteContext } from "@/lib/audit/authorized-write";
import { canonicalJson } from "@/lib/audit/chain";
import { db } from "@/lib/db/client";
import { AppError, isAppError } from "@/lib/errors";
import { dataDir } from "@/lib/runtime/secrets";
import { checkScope, scopeTeam } from "@/lib/evidence/prepare-export";
import { exportEvidenceBundle, type ExportProgress } from "@/lib/evidence/export-bundle";

type Job = { id: string; write: WriteContext; scope: unknown };

// One export at a time, in this process: a bundle of a million events takes most of a minute and two
// cores, and running several at once would only slow each one down. The queue and the progress live in
// memory (on globalThis, so every route bundle of the server shares them); a restart fails what was
// waiting or running, and failJobsLeftByRestart marks those rows at the next start.
type Jobs = { queue: Job[]; running: boolean; progress: Map<string, ExportProgress> };
const state = globalThis as unknown as { apiledgerEvidence?: Jobs };
const jobs: Jobs = (state.apiledgerEvidence ??= { queue: [], running: false, progress: new Map() });

export function bundlePath(id: string): string {
  return path.join(dataDir(), "evidence", `${id}.zip`);
}

export function exportProgress(id: string): ExportProgress | null {
  return jobs.progress.get(id) ?? null;
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
  jobs.progress.set(job.id, { step: "Waiting for the export before it", done: 0, total: 1 });
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
  try {
    const result = await exportEvidenceBundle(job.write, job.scope, fs.createWriteStream(partial, { mode: 0o600 }), {
      onProgress: (p) => jobs.progress.set(job.id, p),
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
    jobs.progress.delete(job.id);
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
): Promise<void> {
  const system = { kind: "system" as const, id: null, email: "evidence-exports@apiledger" };
  await authorizedWrite({ actor: system }, { permission: "evidence:export" }, async (tx, audit) => {
    const row = await tx.evidenceExport.update({ where: { id }, data: { ...data, finishedAt: new Date() } });
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
  });
}

/** At start: exports that were queued or running when the server stopped did not finish. */
export async function failJobsLeftByRestart(): Promise<number> {
  const left = await db.evidenceExport.findMany({ where: { status: "QUEUED" }, select: { id: true } });
  for (const { id } of left) {
    fs.rmSync(`${bundlePath(id)}.partial`, { force: true });
    await finish(
      id,
      { status: "FAILED", error: "The server stopped before the export finished. Request it again." },
      "Evidence export interrupted by a server restart",
    );
  }
  return left.length;
}
