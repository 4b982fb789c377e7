import "server-only";
import { authorizedWrite, type WriteContext } from "@/lib/audit/authorized-write";
import { requireRolePermission, SCHEDULER } from "@/lib/authz/policy";
import type { Tx } from "@/lib/db/client";
import { db } from "@/lib/db/client";
import { AppError, staleVersion } from "@/lib/errors";
import { daysFromTodayInput, toDate, todayInput } from "@/lib/input/date-input";
import { parseOrThrow } from "@/lib/input/validation";
import { queueNotifications } from "@/lib/notifications/notify";
import { NO_FLIP, scanAttachedDescription, storeSpecCounts, validTriageWhere } from "@/lib/openapi-scan/spec-counts";
import {
  MAX_TRIAGE_DAYS,
  TRIAGE_KIND_LABELS,
  ZTriageDecision,
  ZTriageRequest,
  ZTriageWithdrawal,
} from "@/lib/openapi-scan/triage-schemas";

/*
 * Triage of OpenAPI findings. A login or sign-up endpoint that is public by design is a finding of the
 * scan for ever; its owner asks for it to be accepted as a risk (or marked a false positive) with a
 * reason and an expiry, naming an approver — a manager of the API's team or an admin, never themselves.
 * Once approved and until it expires, the operation no longer counts against ISM-2013/2014
 * (lib/openapi-scan/spec-counts.ts); the finding stays listed with its triage, and the evidence bundle
 * lists it as an accepted risk. Every step is one audited write; expiry is the scheduler's
 * (expireFindingTriages, hourly).
 */

const liveApi = (apiId: string) => (tx: Tx) =>
  tx.api.findFirst({ where: { id: apiId, deletedAt: null }, select: { ownerId: true, teamId: true } });

/** The triage's facts for the policy: who asked, who approves, the API's team, and whether it is decided. */
const triageTarget = (triageId: string) => async (tx: Tx) => {
  const t = await tx.findingTriage.findUnique({
    where: { id: triageId },
    select: { requestedById: true, approverId: true, status: true, api: { select: { teamId: true, deletedAt: true } } },
  });
  if (!t || t.api.deletedAt) return null;
  return { ownerId: t.requestedById, reviewerId: t.approverId, teamId: t.api.teamId, locked: t.status !== "PENDING" };
};

/** The people who may approve a triage on an API of this team: admins, and the team's managers. */
export async function triageApprovers(teamId: string, exceptUserId: string | null) {
  return db.user.findMany({
    where: {
      isActive: true,
      // A service account (a traffic source's) approves nothing.
      isServiceAccount: false,
      id: exceptUserId ? { not: exceptUserId } : undefined,
      OR: [{ role: "ADMIN" }, { role: "MANAGER", teamId }],
    },
    select: { id: true, name: true, role: true },
    orderBy: [{ role: "desc" }, { name: "asc" }],
  });
}

function fieldError(field: string, message: string): never {
  throw new AppError("VALIDATION", "Some fields need attention. Nothing was saved.", { [field]: [message] });
}

/** Asks for a finding of the API's attached description to be accepted or marked a false positive. */
export async function requestTriage(ctx: WriteContext, apiId: string, rawInput: unknown) {
  requireRolePermission(ctx.actor, "finding:triage");
  const input = parseOrThrow(ZTriageRequest, rawInput);
  if (input.expiresOn <= todayInput()) fieldError("expiresOn", "The expiry must be after today.");
  if (input.expiresOn > daysFromTodayInput(MAX_TRIAGE_DAYS))
    fieldError(
      "expiresOn",
      `At most a year ahead (${daysFromTodayInput(MAX_TRIAGE_DAYS)}): then it is looked at again.`,
    );
  // Outside the transaction: a large description takes a while to parse. The write checks the file.
  const scan = await scanAttachedDescription(apiId);
  return authorizedWrite(ctx, { permission: "finding:triage", loadTarget: liveApi(apiId) }, async (tx, audit) => {
    const d = await tx.apiDescription.findUnique({ where: { apiId }, select: { fileSha256: true } });
    if (!scan || !d) throw new AppError("NOT_FOUND", "This API has no OpenAPI description attached.");
    if (d.fileSha256 !== scan.sha256)
      throw staleVersion("The description was replaced while you were looking at it. Reload to see its findings.");
    const finding = scan.result.findings.find((f) => f.rule === input.rule && f.pointer === input.pointer);
    if (!finding) throw new AppError("NOT_FOUND", "That finding is not in the attached description any more.");
    const open = await tx.findingTriage.findFirst({
      where: {
        apiId,
        rule: input.rule,
        pointer: input.pointer,
        OR: [{ status: "PENDING" }, validTriageWhere(new Date())],
      },
    });
    if (open)
      throw new AppError(
        "CONFLICT",
        `This finding already has a triage ${open.status === "PENDING" ? "awaiting approval" : "in force"}.`,
      );
    const api = await tx.api.findUniqueOrThrow({ where: { id: apiId }, select: { name: true, teamId: true } });
    const approver = await tx.user.findUnique({
      where: { id: input.approverId },
      select: { id: true, isActive: true, isServiceAccount: true, role: true, teamId: true, name: true },
    });
    if (
      !approver ||
      !approver.isActive ||
      approver.isServiceAccount ||
      approver.id === ctx.actor.id ||
      !(approver.role === "ADMIN" || (approver.role === "MANAGER" && approver.teamId === api.teamId))
    )
      fieldError("approverId", "Choose an admin or a manager of the API's team, other than yourself.");
    const triage = await tx.findingTriage.create({
      data: {
        apiId,
        rule: finding.rule,
        pointer: finding.pointer,
        severity: finding.severity,
        message: finding.message,
        kind: input.kind,
        reason: input.reason,
        requestedById: ctx.actor.id,
        approverId: approver.id,
        expiresOn: toDate(input.expiresOn)!,
      },
    });
    await queueNotifications(tx, [
      {
        userId: approver.id,
        kind: "triage-requested",
        text: `Approve or reject: ${TRIAGE_KIND_LABELS[input.kind].toLowerCase()} for a ${finding.severity} finding on ${api.name}`,
        link: `/apis/${apiId}#findings`,
        dedupeKey: `triage:${triage.id}:requested`,
      },
    ]);
    await audit({
      action: "finding.triage.request",
      targetType: "api",
      targetId: apiId,
      summary: `${TRIAGE_KIND_LABELS[input.kind]} asked for “${finding.rule}” at ${finding.pointer || "/"} on “${api.name}”, approver ${approver.name}, until ${input.expiresOn}`,
      after: triageAuditView(triage),
    });
    return { id: triage.id };
  });
}

/** The named approver approves or rejects. An approval takes the operation out of the counts at once. */
export async function decideTriage(
  ctx: WriteContext,
  triageId: string,
  expectedVersion: number,
  rawInput: unknown,
): Promise<{ apiId: string }> {
  requireRolePermission(ctx.actor, "finding:approve");
  const input = parseOrThrow(ZTriageDecision, rawInput);
  const before = await db.findingTriage.findUnique({ where: { id: triageId }, select: { apiId: true } });
  if (!before) throw new AppError("NOT_FOUND", "That triage does not exist.");
  const scan = input.decision === "APPROVE" ? await scanAttachedDescription(before.apiId) : null;
  await authorizedWrite(
    ctx,
    { permission: "finding:approve", loadTarget: triageTarget(triageId) },
    async (tx, audit) => {
      const t = await tx.findingTriage.findUniqueOrThrow({
        where: { id: triageId },
        include: { api: { select: { name: true } } },
      });
      if (t.version !== expectedVersion)
        throw staleVersion("This triage was changed after you opened it. Reload to see the change.");
      const now = new Date();
      if (t.expiresOn <= now) throw new AppError("CONFLICT", "This triage has expired; ask for a new one.");
      if (input.decision === "APPROVE") {
        const d = await tx.apiDescription.findUnique({ where: { apiId: t.apiId }, select: { fileSha256: true } });
        if (!scan || d?.fileSha256 !== scan.sha256)
          throw staleVersion("The description was replaced after this was asked. Reload and look again.");
      }
      const after = await tx.findingTriage.update({
        where: { id: triageId },
        data: {
          status: input.decision === "APPROVE" ? "APPROVED" : "REJECTED",
          decidedAt: now,
          decisionNote: input.note,
          version: { increment: 1 },
        },
      });
      const flipped = scan ? (await storeSpecCounts(tx, t.apiId, scan.result, now)).controls : NO_FLIP;
      if (t.requestedById)
        await queueNotifications(tx, [
          {
            userId: t.requestedById,
            kind: "triage-decided",
            text: `${TRIAGE_KIND_LABELS[t.kind]} for a finding on ${t.api.name} ${input.decision === "APPROVE" ? "approved" : "rejected"}`,
            link: `/apis/${t.apiId}#findings`,
            dedupeKey: `triage:${t.id}:decided`,
          },
        ]);
      await audit({
        action: input.decision === "APPROVE" ? "finding.triage.approve" : "finding.triage.reject",
        targetType: "api",
        targetId: t.apiId,
        summary: `${TRIAGE_KIND_LABELS[t.kind]} for “${t.rule}” at ${t.pointer || "/"} on “${t.api.name}” ${input.decision === "APPROVE" ? "approved" : "rejected"}`,
        // With the control results the decision flipped (an approval that takes the last anonymous write out).
        before: { ...triageAuditView(t), ...flipped.before },
        after: { ...triageAuditView(after), ...flipped.after },
      });
    },
  );
  return { apiId: before.apiId };
}

/** Whoever may triage the API's findings withdraws a pending or approved triage: the finding counts again. */
export async function withdrawTriage(
  ctx: WriteContext,
  triageId: string,
  expectedVersion: number,
  rawInput: unknown,
): Promise<{ apiId: string }> {
  requireRolePermission(ctx.actor, "finding:triage");
  const input = parseOrThrow(ZTriageWithdrawal, rawInput);
  const found = await db.findingTriage.findUnique({ where: { id: triageId }, select: { apiId: true } });
  if (!found) throw new AppError("NOT_FOUND", "That triage does not exist.");
  const scan = await scanAttachedDescription(found.apiId);
  await authorizedWrite(ctx, { permission: "finding:triage", loadTarget: liveApi(found.apiId) }, async (tx, audit) => {
    const t = await tx.findingTriage.findUniqueOrThrow({
      where: { id: triageId },
      include: { api: { select: { name: true } } },
    });
    if (t.version !== expectedVersion)
      throw staleVersion("This triage was changed after you opened it. Reload to see the change.");
    if (t.status !== "PENDING" && t.status !== "APPROVED")
      throw new AppError("CONFLICT", `This triage is already ${t.status.toLowerCase()}.`);
    const now = new Date();
    const after = await tx.findingTriage.update({
      where: { id: triageId },
      data: {
        status: "WITHDRAWN",
        closedById: ctx.actor.id,
        closedAt: now,
        decisionNote: input.note,
        version: { increment: 1 },
      },
    });
    const flipped = t.status === "APPROVED" ? await recount(tx, t.apiId, scan, now) : NO_FLIP;
    await audit({
      action: "finding.triage.withdraw",
      targetType: "api",
      targetId: t.apiId,
      summary: `${TRIAGE_KIND_LABELS[t.kind]} for “${t.rule}” at ${t.pointer || "/"} on “${t.api.name}” withdrawn`,
      before: { ...triageAuditView(t), ...flipped.before },
      after: { ...triageAuditView(after), ...flipped.after },
    });
  });
  return { apiId: found.apiId };
}

/**
 * Closes the triages whose expiry has come (approved ones and requests nobody decided), one audited
 * write per API, and counts their operations again. Run hourly by the server's scheduler.
 */
export async function expireFindingTriages(now = new Date()): Promise<number> {
  const due = await db.findingTriage.findMany({
    where: { status: { in: ["PENDING", "APPROVED"] }, expiresOn: { lte: now } },
    select: { apiId: true },
    distinct: ["apiId"],
  });
  let closed = 0;
  for (const { apiId } of due) {
    const scan = await scanAttachedDescription(apiId);
    closed += await authorizedWrite({ actor: SCHEDULER }, { permission: "finding:triage" }, async (tx, audit) => {
      const expiring = await tx.findingTriage.findMany({
        where: { apiId, status: { in: ["PENDING", "APPROVED"] }, expiresOn: { lte: now } },
        include: { api: { select: { name: true } } },
      });
      if (!expiring.length) return 0;
      await tx.findingTriage.updateMany({
        where: { id: { in: expiring.map((t) => t.id) } },
        data: { status: "EXPIRED", closedAt: now, version: { increment: 1 } },
      });
      const flipped = expiring.some((t) => t.status === "APPROVED") ? await recount(tx, apiId, scan, now) : NO_FLIP;
      await queueNotifications(
        tx,
        expiring.flatMap((t) =>
          t.requestedById
            ? [
                {
                  userId: t.requestedById,
                  kind: "triage-expired",
                  text: `${TRIAGE_KIND_LABELS[t.kind]} for a finding on ${t.api.name} expired: it counts again`,
                  link: `/apis/${apiId}#findings`,
                  dedupeKey: `triage:${t.id}:expired`,
                },
              ]
            : [],
        ),
      );
      await audit(
        // The control results the expiries flipped go with the last of them, once all have stopped applying.
        expiring.map((t, i) => {
          const last = i === expiring.length - 1 ? flipped : NO_FLIP;
          return {
            action: "finding.triage.expire",
            targetType: "api",
            targetId: apiId,
            summary: `${TRIAGE_KIND_LABELS[t.kind]} for “${t.rule}” at ${t.pointer || "/"} on “${t.api.name}” expired`,
            before: { ...triageAuditView(t), ...last.before },
            after: { ...triageAuditView(t), status: "EXPIRED", ...last.after },
          };
        }),
      );
      return expiring.length;
    });
  }
  return closed;
}

/** Counts again after a triage stops applying; the scan must be of the file still attached. */
async function recount(tx: Tx, apiId: string, scan: Awaited<ReturnType<typeof scanAttachedDescription>>, now: Date) {
  const d = await tx.apiDescription.findUnique({ where: { apiId }, select: { fileSha256: true } });
  if (!d) return NO_FLIP; // detached since: its counts were cleared then
  if (d.fileSha256 !== scan?.sha256) throw staleVersion("The description was replaced meanwhile. Try again.");
  return (await storeSpecCounts(tx, apiId, scan.result, now)).controls;
}

function triageAuditView(t: {
  rule: string;
  pointer: string;
  severity: string;
  kind: string;
  reason: string;
  approverId: string;
  expiresOn: Date;
  status: string;
  decisionNote: string;
}) {
  return {
    rule: t.rule,
    pointer: t.pointer,
    severity: t.severity,
    kind: t.kind,
    reason: t.reason,
    approverId: t.approverId,
    expiresOn: t.expiresOn.toISOString().slice(0, 10),
    status: t.status,
    decisionNote: t.decisionNote,
  };
}
