import "server-only";
import { db } from "@/lib/db/client";
import { inventoryWhere } from "@/lib/evidence/inventory-tables";
import { day, emailOf, iso, type Table, type TableContext } from "@/lib/evidence/table";
import type { AcceptedRisk } from "@/lib/evidence/oscal-documents";

/**
 * The OpenAPI findings accepted as risks or marked false positives (lib/openapi-scan/triage.ts) that
 * applied at some time in the period: approved before its end, and neither expired nor withdrawn before
 * its start. Each with its whole history, as of the period's end: what happened after it is not told.
 */
export async function acceptedRisks(ctx: TableContext): Promise<AcceptedRisk[]> {
  const { from, to } = ctx.scope;
  const rows = await db.findingTriage.findMany({
    where: {
      api: inventoryWhere(ctx),
      decidedAt: { lt: to },
      status: { in: ["APPROVED", "WITHDRAWN", "EXPIRED"] },
      expiresOn: { gt: from },
      OR: [{ closedAt: null }, { closedAt: { gt: from } }],
    },
    include: { api: { select: { name: true } } },
    orderBy: { id: "asc" },
  });
  // decidedAt is set only by a decision, and only approved ones are withdrawn or expire after one.
  // The last instant the bundle speaks for: the period's last moment, or now while it is still running.
  const asOf = Math.min(to.getTime() - 1, ctx.now.getTime());
  return rows.map((t) => {
    const closedInPeriod = t.closedAt && t.closedAt < to ? t.closedAt : null;
    const expiredInPeriod = !closedInPeriod && t.expiresOn.getTime() <= asOf ? t.expiresOn : null;
    return {
      id: t.id,
      apiId: t.apiId,
      api: t.api.name,
      kind: t.kind,
      rule: t.rule,
      severity: t.severity,
      pointer: t.pointer,
      finding: t.message,
      reason: t.reason,
      requestedBy: person(ctx, t.requestedById),
      requestedAt: t.requestedAt.toISOString(),
      approver: person(ctx, t.approverId)!,
      approvedAt: t.decidedAt!.toISOString(),
      approvalNote: t.status === "APPROVED" ? t.decisionNote : "",
      expiresOn: day(t.expiresOn)!,
      // As at the period's end: still in force, or ended (withdrawn, or at its expiry) within it.
      ended: closedInPeriod
        ? { at: iso(closedInPeriod)!, how: t.status === "EXPIRED" ? ("expired" as const) : ("withdrawn" as const) }
        : expiredInPeriod
          ? { at: iso(expiredInPeriod)!, how: "expired" as const }
          : null,
    };
  });
}

const person = (ctx: TableContext, id: string | null) =>
  id ? { email: emailOf(ctx, id)!, name: ctx.people.get(id)?.name ?? emailOf(ctx, id)! } : null;

/** The accepted risks as a data file of the bundle. */
export function acceptedRisksTable(risks: AcceptedRisk[]): Table {
  return {
    name: "accepted-risks",
    title: "Accepted risks and false positives",
    description:
      "OpenAPI findings accepted as a risk or marked a false positive, with the reason, who asked, who approved and until when, that applied at some time in the period. While one applies, the operation it names does not count against ISM-2013/2014; the finding is still listed.",
    columns: [
      "apiId",
      "api",
      "kind",
      "severity",
      "rule",
      "pointer",
      "finding",
      "reason",
      "requestedBy",
      "requestedAt",
      "approvedBy",
      "approvedAt",
      "expiresOn",
      "endedAt",
      "ended",
    ],
    rows: async function* () {
      for (const r of risks)
        yield {
          apiId: r.apiId,
          api: r.api,
          kind: r.kind,
          severity: r.severity,
          rule: r.rule,
          pointer: r.pointer,
          finding: r.finding,
          reason: r.reason,
          requestedBy: r.requestedBy?.email ?? null,
          requestedAt: r.requestedAt,
          approvedBy: r.approver.email,
          approvedAt: r.approvedAt,
          expiresOn: r.expiresOn,
          endedAt: r.ended?.at ?? null,
          ended: r.ended?.how ?? null,
        };
    },
  };
}
