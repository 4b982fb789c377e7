import "server-only";
import { logger } from "@/lib/log/logger";
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
import { REQUESTER_DEACTIVATED, exportEvidenceBundle, type ExportProgress } from "@/lib/evidence/export-bundle";
import { tokenScopes, type Actor, type Role } from "@/lib/authz/policy";
import { failpoint } from "@/lib/runtime/failpoint";
import { blobStore } from "@/lib/storage/blob-store";
import { appLink, queueWebhookEvent } from "@/lib/webhooks/events";

// The export queue is the EvidenceExport table itself, shared by every instance and worker. A request
// adds a row nobody has claimed (runner ""); every process that runs the background jobs (an app server
// by default, or `npm run worker`, lib/jobs/runner.ts) looks for one every few seconds, claims it with a
// conditional update (of two processes, one wins), builds it with the requester's current rights, stores
// the bundle in the shared blob store and records the outcome. Each process builds one export at a time:
// a bundle of a million events takes most of a minute and two cores, and several at once would only
// slow each one down. The builder renews the row's heartbeat; an export whose heartbeat stopped (its
// process was stopped or lost) is queued again by whichever process notices (requeueLapsedExports),
// and failed after MAX_ATTEMPTS.
type Builder = {
  started: boolean;
  busy: Promise<void> | null;
  current: string | null;
  timer: NodeJS.Timeout | null;
  beat: NodeJS.Timeout | null;
  log: (line: string) => void;
};
const state = globalThis as unknown as { apiledgerExportBuilder?: Builder; apiledgerExportRunner?: string };
const builder: Builder = (state.apiledgerExportBuilder ??= {
  started: false,
  busy: null,
  current: null,
  timer: null,
  beat: null,
  log: (line) => logger().info({ part: "evidence-exports" }, line),
});

/**
 * This process, as export rows name their builder: one name per process, kept on globalThis like the
 * builder, so every copy of this module Next loads claims and renews under the same name.
 */
export const RUNNER =
  (state.apiledgerExportRunner ??= `${os.hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`);
/**
 * How often the builder renews its export's heartbeat, and how long a silent one is believed: three
 * times the longest a write may hold the writers' lock (60 s), which a renewal can wait behind.
 */
export const HEARTBEAT_SECONDS = 10;
export const LAPSE_SECONDS = 180;
/** An export no process has claimed for this long is failed: nothing is building exports. */
export const UNCLAIMED_MINUTES = 30;
/** How often an idle builder looks for a queued export (a request in its own process starts at once). */
export const POLL_SECONDS = 3;
/** Claims of one export before it is failed: a bundle that stops its builder each time is not retried forever. */
export const MAX_ATTEMPTS = 3;

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
const WAITING = (note = "") => JSON.stringify({ step: `Waiting to be built${note}`, done: 0, total: 1 });

/**
 * Renews the heartbeat of the export this process builds, and records its progress when given. An
 * export that is no longer this process's (queued again after its heartbeat lapsed) is noted as lost:
 * its build goes on only until the custody step, which refuses it (onCustody).
 */
async function beat(progress?: ExportProgress): Promise<void> {
  const id = builder.current;
  if (!id) return;
  const { count } = await authorizedWrite(
    { actor: SYSTEM },
    { permission: "evidence:record-progress", countsOnly: "evidence:record-progress" },
    (tx) =>
      tx.evidenceExport.updateMany({
        where: { id, runner: RUNNER, status: "QUEUED" },
        data: { heartbeatAt: new Date(), ...(progress ? { progress: JSON.stringify(progress) } : {}) },
      }),
  );
  if (!count) builder.log(`evidence export ${id} is no longer this process's (queued again or finished)`);
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
          tokenId: write.actor.kind === "user" ? (write.actor.token?.id ?? null) : null,
          requestedFrom: write.ip ?? "",
          // Until it is claimed: when it was queued (an export nobody claims is failed after a while).
          heartbeatAt: new Date(),
          progress: WAITING(),
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
  // Built here at once when this process runs a builder; otherwise by the next one that looks.
  pokeExportBuilder();
  return { id: job.id };
}

/**
 * Starts this process's builder (lib/jobs/runner.ts, beside the jobs): it looks for queued exports every
 * POLL_SECONDS. stop() ends the looking and waits for the build in progress.
 */
export function startExportBuilder(log: (line: string) => void): { stop: () => Promise<void> } {
  builder.log = log;
  builder.started = true;
  builder.timer ??= setInterval(pokeExportBuilder, POLL_SECONDS * 1000);
  builder.timer.unref();
  pokeExportBuilder();
  return {
    stop: async () => {
      builder.started = false;
      if (builder.timer) clearInterval(builder.timer);
      builder.timer = null;
      await builder.busy;
    },
  };
}

/** Builds queued exports one after another, if this process runs a builder and is not building one. */
export function pokeExportBuilder(): void {
  if (!builder.started || builder.busy) return;
  builder.busy = (async () => {
    try {
      // Looked at before each claim: a builder being stopped claims nothing it would not build.
      while (builder.started) {
        const id = await claimNextExport();
        if (!id) break;
        await build(id);
      }
    } catch (error) {
      // The database went away mid-claim: the next poll tries again.
      builder.log(`evidence exports: ${(error as Error).message}`);
    }
  })().finally(() => (builder.busy = null));
}

/** Claims the oldest export nobody builds; null when there is none (or other processes took them all). */
async function claimNextExport(): Promise<string | null> {
  for (let tries = 0; tries < 5; tries++) {
    const next = await db.evidenceExport.findFirst({
      where: { status: "QUEUED", runner: "" },
      orderBy: { createdAt: "asc" },
      select: { id: true },
    });
    if (!next) return null;
    const claimed = await authorizedWrite(
      { actor: SYSTEM },
      { permission: "evidence:record-progress", countsOnly: "evidence:record-progress" },
      async (tx) => {
        // The conditional update is the claim: of two processes, the second updates nothing.
        const { count } = await tx.evidenceExport.updateMany({
          where: { id: next.id, status: "QUEUED", runner: "" },
          data: { runner: RUNNER, heartbeatAt: new Date(), attempts: { increment: 1 } },
        });
        return count === 1;
      },
    );
    if (claimed) return next.id;
  }
  return null;
}

const TOKEN_GONE = "The API token that requested the export was revoked or expired before the bundle was ready.";

/** The requester as they are now: their current role and team, and the token's current scopes. */
async function requesterOf(row: { requestedById: string | null; tokenId: string | null }): Promise<Actor> {
  const user = row.requestedById
    ? await db.user.findUnique({
        where: { id: row.requestedById },
        select: { id: true, email: true, role: true, teamId: true, isActive: true },
      })
    : null;
  if (!user?.isActive) throw new AppError("FORBIDDEN", REQUESTER_DEACTIVATED);
  const actor: Actor = { kind: "user", id: user.id, email: user.email, role: user.role as Role, teamId: user.teamId };
  if (!row.tokenId) return actor;
  const token = await db.apiToken.findUnique({
    where: { id: row.tokenId },
    select: { userId: true, scopes: true, teamId: true, revokedAt: true, expiresAt: true },
  });
  if (!token || token.userId !== user.id || token.revokedAt || token.expiresAt <= new Date())
    throw new AppError(
      "FORBIDDEN",
      "The API token that requested the export was revoked or expired before it was built.",
    );
  return { ...actor, token: { id: row.tokenId, scopes: tokenScopes(token.scopes), teamId: token.teamId } };
}

/** This process's build of an export that was queued again meanwhile (its heartbeat lapsed). */
class ExportTakenOver extends Error {}

async function build(id: string): Promise<void> {
  builder.current = id;
  keepBeating();
  const partial = path.join(dataDir(), "evidence", `${id}.${RUNNER.replace(/[^\w.-]/g, "_")}.partial`);
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
    beat(value)
      .catch((error) => builder.log(`could not record an export's progress: ${(error as Error).message}`))
      .finally(() => (writing = false));
  };
  try {
    const row = await db.evidenceExport.findUniqueOrThrow({ where: { id } });
    const actor = await requesterOf(row);
    await failpoint("export:build");
    fs.mkdirSync(path.dirname(partial), { recursive: true, mode: 0o700 });
    const result = await exportEvidenceBundle(
      { actor, ip: row.requestedFrom || undefined },
      JSON.parse(row.scope),
      fs.createWriteStream(partial, { mode: 0o600 }),
      {
        onProgress,
        // The row names its manifest from the moment the custody entry exists, so an outcome recorded
        // later (even by another process, after this one stopped) can be matched to that entry.
        // Only while the export is still this process's: one queued again after its heartbeat lapsed is
        // another's now, and this build must leave no custody entry for a bundle nobody will be given.
        onCustody: async (tx, manifestSha256) => {
          const { count } = await tx.evidenceExport.updateMany({
            where: { id, runner: RUNNER, status: "QUEUED" },
            data: { manifestSha256 },
          });
          if (count !== 1) throw new ExportTakenOver();
          // Where a test stops a worker while it holds the chain's lock (lib/jobs/jobs.integration.test.ts).
          await failpoint("export:custody");
          // The token it was requested with, revoked or expired while it was built, gets no bundle either
          // (a deactivated requester is checked by exportEvidenceBundle itself).
          if (row.tokenId) {
            const token = await tx.apiToken.findUnique({
              where: { id: row.tokenId },
              select: { revokedAt: true, expiresAt: true },
            });
            if (!token || token.revokedAt || token.expiresAt <= new Date()) throw new AppError("FORBIDDEN", TOKEN_GONE);
          }
        },
      },
    );
    // In the shared store before the row says DONE, so any instance can serve it from then on.
    await blobStore().putFile(result.sha256, partial, { retain: true });
    await finish(
      id,
      {
        status: "DONE",
        manifestSha256: result.manifestSha256,
        sha256: result.sha256,
        bytes: BigInt(result.bytes),
        files: result.files,
      },
      `Evidence bundle for ${result.period} stored (${(result.bytes / 1048576).toFixed(1)} MB)`,
      { runner: RUNNER },
    );
  } catch (error) {
    if (error instanceof ExportTakenOver) {
      builder.log(`evidence export ${id} was queued again while this process built it; this build is dropped`);
      return;
    }
    if (!isAppError(error)) builder.log(`evidence export ${id} failed: ${(error as Error).stack ?? error}`);
    const message = isAppError(error)
      ? error.message
      : "The export failed on the server; the server log has the details. Try again.";
    await finish(id, { status: "FAILED", error: message }, `Evidence export failed: ${message}`, {
      runner: RUNNER,
    }).catch((e) => builder.log(`could not record the failed export: ${(e as Error).message}`));
  } finally {
    fs.rmSync(partial, { force: true });
    builder.current = null;
  }
}

function keepBeating(): void {
  if (builder.beat) return;
  builder.beat = setInterval(() => {
    if (!builder.current) {
      clearInterval(builder.beat!);
      builder.beat = null;
      return;
    }
    beat().catch((error) => builder.log(`could not renew an export's heartbeat: ${(error as Error).message}`));
  }, HEARTBEAT_SECONDS * 1000);
  builder.beat.unref();
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
  /** Only while the export is still open, still this builder's, and (for a lapse) still silent since seen. */
  still: { runner?: string; heartbeatBefore?: Date } = {},
): Promise<boolean> {
  return authorizedWrite({ actor: SYSTEM }, { permission: "evidence:export" }, async (tx, audit) => {
    const open = await tx.evidenceExport.updateMany({
      where: {
        id,
        status: "QUEUED",
        ...(still.runner !== undefined ? { runner: still.runner } : {}),
        ...(still.heartbeatBefore ? { heartbeatAt: { lt: still.heartbeatBefore } } : {}),
      },
      data: { ...data, progress: "", finishedAt: new Date() },
    });
    // Finished meanwhile by its builder, or its heartbeat came back: nothing to record.
    if (!open.count) return nothingToWrite(false);
    const row = await tx.evidenceExport.findUniqueOrThrow({
      where: { id },
      select: { manifestSha256: true, requestedBy: true, period: true, bytes: true },
    });
    await queueWebhookEvent(tx, {
      type: "export.finished",
      dedupeKey: `export:${id}`,
      data: {
        exportId: id,
        status: data.status,
        requestedBy: row.requestedBy,
        period: row.period,
        sha256: data.sha256 ?? null,
        bytes: Number(row.bytes),
        error: data.error ?? null,
        link: appLink("/evidence"),
      },
    });
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
 * Queues again the exports whose builder stopped renewing their heartbeat for LAPSE_SECONDS (its
 * process was stopped, killed or cut off), so another process builds them; one claimed MAX_ATTEMPTS
 * times is failed instead. Run by the export-lapse-check job (lib/jobs/catalogue.ts) and at every
 * start; an export another process is building renews its heartbeat and is left alone.
 */
export async function requeueLapsedExports(now = new Date()): Promise<{ requeued: number; failed: number }> {
  const before = new Date(now.getTime() - LAPSE_SECONDS * 1000);
  const lapsed = await db.evidenceExport.findMany({
    where: { status: "QUEUED", runner: { not: "" }, OR: [{ heartbeatAt: { lt: before } }, { heartbeatAt: null }] },
    select: { id: true, runner: true, attempts: true },
  });
  let requeued = 0;
  let failed = 0;
  for (const { id, runner, attempts } of lapsed) {
    const still = { runner, heartbeatBefore: before };
    if (attempts >= MAX_ATTEMPTS) {
      const error = `The process building the export stopped ${attempts} times before it finished. Request it again; if it fails again, the server log has the details.`;
      if (
        await finish(id, { status: "FAILED", error }, `Evidence export failed: its process (${runner}) stopped`, still)
      )
        failed++;
      continue;
    }
    const done = await authorizedWrite({ actor: SYSTEM }, { permission: "evidence:export" }, async (tx, audit) => {
      const { count } = await tx.evidenceExport.updateMany({
        where: {
          id,
          status: "QUEUED",
          runner,
          OR: [{ heartbeatAt: { lt: before } }, { heartbeatAt: null }],
        },
        data: {
          runner: "",
          progress: WAITING(` again (attempt ${attempts + 1} of ${MAX_ATTEMPTS}): its process stopped`),
        },
      });
      // Queued again meanwhile by another process, or its heartbeat came back: nothing to record.
      if (!count) return nothingToWrite(false);
      await audit({
        action: "evidence.export-requeued",
        targetType: "evidence-export",
        targetId: id,
        summary: `Evidence export queued again: the process building it (${runner}) stopped`,
        details: { runner, attempts },
      });
      return true;
    });
    if (done) requeued++;
  }
  // Waiting with nobody to claim them (APILEDGER_JOBS=worker and no worker, say): failed in words, so
  // the requester can act and their per-person limit is freed.
  const unclaimedBefore = new Date(now.getTime() - UNCLAIMED_MINUTES * 60_000);
  const unclaimed = await db.evidenceExport.findMany({
    where: { status: "QUEUED", runner: "", OR: [{ heartbeatAt: { lt: unclaimedBefore } }, { heartbeatAt: null }] },
    select: { id: true },
  });
  for (const { id } of unclaimed) {
    const error = `No process took the export within ${UNCLAIMED_MINUTES} minutes. Check that the background jobs run (Settings → Background jobs; with APILEDGER_JOBS=worker, a worker must run), then request it again.`;
    const still = { runner: "", heartbeatBefore: unclaimedBefore };
    if (await finish(id, { status: "FAILED", error }, "Evidence export failed: no process took it", still)) failed++;
  }
  pokeExportBuilder();
  return { requeued, failed };
}
