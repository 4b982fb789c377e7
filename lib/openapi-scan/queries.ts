import "server-only";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { requirePermission, type Actor } from "@/lib/authz/policy";
import { scanAttachedDescription, validTriageWhere } from "@/lib/openapi-scan/spec-counts";
import type { FindingTriageView, ScanReportView } from "@/lib/openapi-scan/scan-view";

/**
 * The attached description with a fresh scan against the API's current record (sensitivity and
 * recorded methods change the findings), or null when none is attached. Each finding carries its
 * triage awaiting approval or in force, if any.
 */
export async function getDescriptionReport(actor: Actor | null, apiId: string): Promise<ScanReportView | null> {
  requirePermission(actor, "api:read");
  const api = await db.api.findFirst({
    where: { id: apiId, deletedAt: null },
    select: { ownerId: true, teamId: true },
  });
  if (!api) throw new AppError("NOT_FOUND", "That API does not exist or was deleted.");
  // Asked with the API as target: a token limited to one team reads only that team's descriptions.
  requirePermission(actor, "api:read", api);
  const d = await db.apiDescription.findUnique({ where: { apiId } });
  const scan = d ? await scanAttachedDescription(apiId) : null;
  if (!d || !scan) return null;
  const result = scan.result;
  const triages = await db.findingTriage.findMany({
    where: { apiId, OR: [{ status: "PENDING" }, validTriageWhere(new Date())] },
    orderBy: { requestedAt: "desc" },
  });
  const names = new Map(
    (
      await db.user.findMany({
        where: {
          id: {
            in: [d.uploadedById, ...triages.flatMap((t) => [t.requestedById, t.approverId])].filter(
              (id): id is string => !!id,
            ),
          },
        },
        select: { id: true, name: true },
      })
    ).map((u) => [u.id, u.name]),
  );
  const triageOf = new Map<string, FindingTriageView>();
  for (const t of triages) {
    const key = `${t.rule}\u0000${t.pointer}`;
    if (triageOf.has(key)) continue;
    triageOf.set(key, {
      id: t.id,
      version: t.version,
      kind: t.kind,
      status: t.status,
      reason: t.reason,
      requestedBy: t.requestedById ? (names.get(t.requestedById) ?? "a removed user") : "system",
      requestedById: t.requestedById,
      approver: names.get(t.approverId) ?? "a removed user",
      approverId: t.approverId,
      requestedAt: t.requestedAt.toISOString(),
      expiresOn: t.expiresOn.toISOString().slice(0, 10),
      decidedAt: t.decidedAt?.toISOString() ?? null,
      decisionNote: t.decisionNote,
    });
  }
  const findings = result.findings.map((f) => ({ ...f, triage: triageOf.get(`${f.rule}\u0000${f.pointer}`) ?? null }));
  // What still decides: findings with no triage in force (a pending one does not count yet).
  const open = findings.filter((f) => f.triage?.status !== "APPROVED");
  return {
    sha256: d.fileSha256,
    // Free-text columns holding only what attachDescription writes (parse.ts's dialects, DESCRIPTION_SOURCES).
    dialect: d.dialect as ScanReportView["dialect"],
    title: d.title,
    source: d.source as ScanReportView["source"],
    sourceUrl: d.sourceUrl,
    scannedAt: d.scannedAt.toISOString(),
    uploadedBy: d.uploadedById ? (names.get(d.uploadedById) ?? "a removed user") : "system",
    anonWrites: d.anonWrites,
    anonReads: d.anonReads,
    counts: result.counts,
    /** The most severe finding no triage in force covers, or null when there is none. */
    worstOpen: open[0]?.severity ?? null,
    findings,
    operations: result.operations,
    schemes: result.schemes,
  };
}
