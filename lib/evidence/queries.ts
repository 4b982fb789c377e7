import "server-only";
import { db } from "@/lib/db/client";
import { requirePermission, requireRolePermission, type Actor } from "@/lib/authz/policy";
import { AppError } from "@/lib/errors";
import { prepareExport } from "@/lib/evidence/prepare-export";
import { summarise } from "@/lib/evidence/summary";
import { inventoryWhere } from "@/lib/evidence/inventory-tables";
import { incidentWhere, reviewWhere } from "@/lib/evidence/review-tables";
import { acquisitionWhere, alertWhere, documentsInForce } from "@/lib/evidence/record-tables";
import { exportProgress } from "@/lib/evidence/export-jobs";
import { checkpointLine } from "@/lib/audit/checkpoint-format";
import { keyFingerprint, retiredKeyLimits, retiredPublicKeys, signingKey } from "@/lib/signing/key";
import type { EvidenceExportView } from "@/lib/evidence/export-view";

/** What a bundle for this scope would hold, counted, and the gaps it would show; nothing is written. */
export async function previewEvidence(actor: Actor | null, rawScope: unknown, now = new Date()) {
  const ctx = await prepareExport(actor, rawScope, now);
  const { controls, gaps, apis } = await summarise(ctx);
  const { from, to } = ctx.scope;
  const inPeriod = { gte: from, lt: to };
  const byApi = ctx.apiIds ? { apiId: { in: ctx.apiIds } } : {};
  const [clients, reviews, followUps, incidents, documents, training, acquisitions, events, alerts, audit] =
    await Promise.all([
      db.apiClient.count({ where: { createdAt: { lt: to }, api: inventoryWhere(ctx) } }),
      db.review.count({ where: reviewWhere(ctx) }),
      db.followUp.count({ where: { OR: [{ review: reviewWhere(ctx) }, { incident: incidentWhere(ctx) }] } }),
      db.incident.count({ where: incidentWhere(ctx) }),
      documentsInForce(ctx).then((d) => d.length),
      db.trainingSession.count({ where: { heldOn: inPeriod } }),
      db.acquisitionChecklist.count({ where: acquisitionWhere(ctx) }),
      db.authEvent.count({ where: { at: inPeriod, ...byApi } }),
      db.authAlert.count({ where: alertWhere(ctx) }),
      db.auditEntry.count({ where: { at: inPeriod, seq: { lte: ctx.auditHead?.seq ?? 0 } } }),
    ]);
  return {
    scope: {
      period: ctx.scope.period,
      from: from.toISOString().slice(0, 10),
      until: new Date(to.getTime() - 1).toISOString().slice(0, 10),
      controls: ctx.scope.controls,
      teams: ctx.teamNames,
    },
    controls: controls.map(({ notMetApis: _notMetApis, ...c }) => c),
    gaps,
    counts: [
      { label: "APIs in the inventory at the period's end", value: apis },
      { label: "Clients and grants", value: clients },
      { label: "Access reviews", value: reviews },
      { label: "Follow-ups", value: followUps },
      { label: "Incidents", value: incidents },
      { label: "Policy and procedure versions in force", value: documents },
      { label: "Training sessions", value: training },
      { label: "Acquisition checklists", value: acquisitions },
      { label: "Authentication events", value: events },
      { label: "Failed-authentication alerts", value: alerts },
      { label: "Audit-log entries", value: audit },
    ],
  };
}
export type EvidencePreview = Awaited<ReturnType<typeof previewEvidence>>;

const EXPORT_SELECT = {
  id: true,
  requestedBy: true,
  period: true,
  scope: true,
  teamId: true,
  status: true,
  error: true,
  manifestSha256: true,
  sha256: true,
  bytes: true,
  files: true,
  createdAt: true,
  finishedAt: true,
  progress: true,
} as const;

function toDto(row: {
  id: string;
  requestedBy: string;
  period: string;
  scope: string;
  status: string;
  error: string;
  manifestSha256: string;
  sha256: string;
  bytes: bigint;
  files: number;
  createdAt: Date;
  finishedAt: Date | null;
  progress: string;
}): EvidenceExportView {
  const progress = row.status === "QUEUED" ? exportProgress(row) : null;
  return {
    id: row.id,
    requestedBy: row.requestedBy,
    period: row.period,
    scope: JSON.parse(row.scope) as EvidenceExportView["scope"],
    status: (row.status === "QUEUED" ? "RUNNING" : row.status) as EvidenceExportView["status"],
    progress: progress
      ? { step: progress.step, percent: Math.round((100 * progress.done) / Math.max(1, progress.total)) }
      : null,
    error: row.error || null,
    manifestSha256: row.manifestSha256 || null,
    sha256: row.sha256 || null,
    bytes: Number(row.bytes),
    files: row.files,
    requestedAt: row.createdAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}

/** Exports auditors and admins share, newest first; a team-limited token sees its team's only. */
export async function listEvidenceExports(actor: Actor | null, take = 50) {
  requireRolePermission(actor, "evidence:export");
  const teamId = actor.kind === "user" ? actor.token?.teamId : null;
  const rows = await db.evidenceExport.findMany({
    where: teamId ? { teamId } : {},
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take,
    select: EXPORT_SELECT,
  });
  return rows.map(toDto);
}

export async function getEvidenceExport(actor: Actor | null, id: string) {
  requireRolePermission(actor, "evidence:export");
  const row = await db.evidenceExport.findUnique({ where: { id }, select: EXPORT_SELECT });
  if (!row) throw new AppError("NOT_FOUND", "There is no evidence export with that id.");
  requirePermission(actor, "evidence:export", { teamId: row.teamId });
  return toDto(row);
}

/** How far back the Evidence page looks for checkpoints signed by a key this instance does not know. */
const STRANGER_DAYS = 30;

/**
 * The public half of the signing key, for auditors to compare with a bundle's; the earlier keys a rotation
 * retired (bundles they signed still verify); and the keys of recent checkpoints that are neither — another
 * instance signing with a key of its own, which a cluster must not do.
 */
export async function getSigningKey(actor: Actor | null) {
  requireRolePermission(actor, "evidence:export");
  const key = signingKey();
  const limits = retiredKeyLimits();
  const retired = retiredPublicKeys(process.env, key.publicKeyPem).map((pem) => {
    const fingerprint = keyFingerprint(pem);
    return { publicKeyPem: pem, fingerprint, lastEntry: limits.get(fingerprint)?.lastEntry ?? null };
  });
  const revoked = [...limits]
    .filter(([, limit]) => limit.revoked)
    .map(([fingerprint, limit]) => ({ fingerprint, reason: limit.revoked! }));
  const known = new Set([key.fingerprint, ...retired.map((r) => r.fingerprint), ...revoked.map((r) => r.fingerprint)]);
  const signers = await db.auditCheckpoint.groupBy({
    by: ["fingerprint"],
    where: { at: { gte: new Date(Date.now() - STRANGER_DAYS * 86_400_000) } },
    _max: { at: true },
    _count: true,
  });
  const strangers = signers
    .filter((s) => !known.has(s.fingerprint))
    .map((s) => ({ fingerprint: s.fingerprint, checkpoints: s._count, lastAt: s._max.at?.toISOString() ?? "" }));
  return {
    publicKeyPem: key.publicKeyPem,
    fingerprint: key.fingerprint,
    retired,
    revoked,
    strangers,
    strangerDays: STRANGER_DAYS,
  };
}

/** The newest signed audit-log checkpoint, for auditors to note down beside the key's fingerprint. */
export async function getLatestCheckpoint(actor: Actor | null) {
  requireRolePermission(actor, "evidence:export");
  const row = await db.auditCheckpoint.findFirst({
    orderBy: { seq: "desc" },
    select: { seq: true, headHash: true, at: true, text: true, signature: true },
  });
  return row ? { seq: row.seq, head: row.headHash, at: row.at.toISOString(), line: checkpointLine(row) } : null;
}
