import "server-only";
import path from "node:path";
import { db } from "@/lib/db/client";
import { databaseUrl } from "@/lib/db/db-url";
import { writeEventTable } from "@/lib/evidence/event-rows";
import { observedAccessTable } from "@/lib/evidence/observed-tables";
import { inForceFrom, versionInForce } from "@/lib/documents/status";
import { RELATION_PAGE, day, emailOf, iso, paged, type Table, type TableContext } from "@/lib/evidence/table";

/** The approved files that go into the bundle beside the data, under documents/. */
export type DocumentFile = { path: string; sha256: string; body: string | null };

/**
 * Policy and procedure versions in force at some time in the period: the one in force when it began
 * and every version that came into force during it (approved and effective, whichever came later).
 */
export async function documentsInForce(ctx: TableContext) {
  const documents = await db.document.findMany({
    include: { versions: { include: { file: { select: { mediaType: true, size: true } } } } },
    orderBy: [{ kind: "asc" }, { title: "asc" }, { id: "asc" }],
  });
  return documents.flatMap((d) => {
    const atStart = versionInForce(d.versions, ctx.scope.from);
    const during = d.versions.filter((v) => {
      const from = inForceFrom(v);
      return from !== null && from >= ctx.scope.from && from < ctx.scope.to;
    });
    const chosen = [...new Map([...(atStart ? [atStart] : []), ...during].map((v) => [v.id, v])).values()].sort(
      (a, b) => a.number - b.number,
    );
    return chosen.map((v) => {
      const name = v.fileSha256 ? v.fileName : `${slug(d.title)}-v${v.number}.md`;
      return {
        document: d,
        version: v,
        path: `documents/${slug(d.title)}-${d.id.slice(-6)}/v${v.number}-${safeName(name)}`,
      };
    });
  });
}

/** Checklists open at some time in the period: requested before its end, not decided before its start. */
export function acquisitionWhere(ctx: TableContext) {
  return { requestedOn: { lt: ctx.scope.to }, OR: [{ decidedAt: null }, { decidedAt: { gte: ctx.scope.from } }] };
}

/** Alerts raised in the period on in-scope APIs. */
export function alertWhere(ctx: TableContext) {
  return { raisedAt: { gte: ctx.scope.from, lt: ctx.scope.to }, ...(ctx.apiIds ? { apiId: { in: ctx.apiIds } } : {}) };
}

export async function recordTables(ctx: TableContext): Promise<{ tables: Table[]; files: DocumentFile[] }> {
  const docs = await documentsInForce(ctx);
  const files: DocumentFile[] = docs.map(({ version, path }) => ({
    path,
    sha256: version.fileSha256 ?? "",
    body: version.fileSha256 ? null : version.body,
  }));
  const tables: Table[] = [
    documentsTable(ctx, docs),
    trainingTable(ctx),
    acquisitionsTable(ctx),
    authEventsTable(ctx),
    authAlertsTable(ctx),
    observedAccessTable(ctx),
    auditLogTable(ctx),
  ];
  return { tables, files };
}

function documentsTable(ctx: TableContext, docs: Awaited<ReturnType<typeof documentsInForce>>): Table {
  return {
    name: "documents",
    title: "Policies and procedures",
    description:
      "Access-control policy, API security standard, incident procedure and other documents: each version in force at some time in the period, when it was uploaded, approved (never before its upload) and effective, in force from the later of the last two, and the file in this bundle.",
    columns: [
      "documentId",
      "kind",
      "title",
      "version",
      "label",
      "effectiveDate",
      "nextReviewDate",
      "approvedBy",
      "approvedAt",
      "uploadedBy",
      "uploadedAt",
      "inForceFrom",
      "file",
      "sha256",
    ],
    rows: async function* () {
      for (const { document: d, version: v, path } of docs) {
        yield {
          documentId: d.id,
          kind: d.kind,
          title: d.title,
          version: v.number,
          label: v.label,
          effectiveDate: day(v.effectiveDate),
          nextReviewDate: day(v.nextReviewDate),
          approvedBy: emailOf(ctx, v.approverId),
          approvedAt: iso(v.approvedAt),
          uploadedBy: emailOf(ctx, v.uploadedById),
          uploadedAt: iso(v.createdAt),
          inForceFrom: day(inForceFrom(v)),
          file: path,
          sha256: v.fileSha256,
        };
      }
    },
  };
}

function trainingTable(ctx: TableContext): Table {
  return {
    name: "training",
    title: "Training sessions and attendance",
    description:
      "Training held in the period, one row per attendee: topic, date, trainer, duration and whether it counts as API-security training.",
    columns: [
      "sessionId",
      "topic",
      "heldOn",
      "trainer",
      "durationMinutes",
      "isApiSecurity",
      "attendee",
      "attendeeName",
    ],
    rows: async function* () {
      const sessions = (after: { id: string } | null, take: number) =>
        db.trainingSession.findMany({
          where: { heldOn: { gte: ctx.scope.from, lt: ctx.scope.to }, ...(after ? { id: { gt: after.id } } : {}) },
          include: { attendees: { select: { userId: true } } },
          orderBy: { id: "asc" },
          take,
        });
      for await (const s of paged(sessions, RELATION_PAGE)) {
        const people = s.attendees
          .map((a) => ({ email: emailOf(ctx, a.userId)!, name: ctx.people.get(a.userId)?.name ?? "" }))
          .sort((a, b) => a.email.localeCompare(b.email));
        for (const p of people)
          yield {
            sessionId: s.id,
            topic: s.topic,
            heldOn: day(s.heldOn),
            trainer: s.trainer,
            durationMinutes: s.durationMinutes,
            isApiSecurity: s.isApiSecurity,
            attendee: p.email,
            attendeeName: p.name,
          };
      }
    },
  };
}

function acquisitionsTable(ctx: TableContext): Table {
  return {
    name: "acquisitions",
    title: "Software acquisition checklists",
    description:
      "Checklists open at some time in the period, one row per question: the answer and evidence, and the reviewer's outcome.",
    columns: [
      "checklistId",
      "vendor",
      "product",
      "requester",
      "requestedOn",
      "reviewer",
      "outcome",
      "conditions",
      "decidedAt",
      "position",
      "question",
      "answer",
      "evidence",
    ],
    rows: async function* () {
      const lists = (after: { id: string } | null, take: number) =>
        db.acquisitionChecklist.findMany({
          where: { ...acquisitionWhere(ctx), ...(after ? { id: { gt: after.id } } : {}) },
          include: { answers: { orderBy: { position: "asc" } } },
          orderBy: { id: "asc" },
          take,
        });
      for await (const c of paged(lists, RELATION_PAGE)) {
        for (const a of c.answers) {
          yield {
            checklistId: c.id,
            vendor: c.vendor,
            product: c.product,
            requester: emailOf(ctx, c.requesterId),
            requestedOn: day(c.requestedOn),
            reviewer: emailOf(ctx, c.reviewerId),
            outcome: c.outcome,
            conditions: c.conditions,
            decidedAt: iso(c.decidedAt),
            position: a.position,
            question: a.questionText,
            answer: a.answer || null,
            evidence: a.evidence,
          };
        }
      }
    },
  };
}

/** The auth-events files' columns: the worker writes each event's cells in this order. */
export const AUTH_EVENT_COLUMNS = [
  "eventId",
  "at",
  "apiId",
  "clientId",
  "principal",
  "outcome",
  "sourceIp",
  "method",
  "route",
  "receivedAt",
] as const;

function authEventsTable(ctx: TableContext): Table {
  return {
    name: "auth-events",
    title: "Authentication events",
    description:
      "Who called each in-scope API and when, as its gateways reported it: every authentication and authorisation event of the period, in the order they were received.",
    columns: AUTH_EVENT_COLUMNS,
    // Read and written on a worker thread, beside the rest of the bundle (lib/evidence/event-rows.ts).
    background(scratch) {
      return writeEventTable({
        url: databaseUrl(),
        from: ctx.scope.from.toISOString(),
        to: ctx.scope.to.toISOString(),
        apiIds: ctx.apiIds,
        columns: [...this.columns],
        csvFile: path.join(scratch, "auth-events.csv.deflated"),
        jsonFile: path.join(scratch, "auth-events.json.deflated"),
      });
    },
  };
}

function authAlertsTable(ctx: TableContext): Table {
  return {
    name: "auth-alerts",
    title: "Failed-authentication alerts",
    description:
      "Alerts raised in the period when one client or address failed too often, and how each was acknowledged.",
    columns: [
      "alertId",
      "apiId",
      "keyKind",
      "keyValue",
      "failures",
      "windowStart",
      "windowEnd",
      "raisedAt",
      "acknowledgedAt",
      "acknowledgedBy",
      "note",
    ],
    rows: async function* () {
      const alerts = await db.authAlert.findMany({
        where: alertWhere(ctx),
        orderBy: [{ raisedAt: "asc" }, { id: "asc" }],
      });
      for (const a of alerts) {
        yield {
          alertId: a.id,
          apiId: a.apiId,
          keyKind: a.keyKind,
          keyValue: a.keyValue,
          failures: a.failures,
          windowStart: iso(a.windowStart),
          windowEnd: iso(a.windowEnd),
          raisedAt: iso(a.raisedAt),
          acknowledgedAt: iso(a.acknowledgedAt),
          acknowledgedBy: emailOf(ctx, a.acknowledgedById),
          note: a.note,
        };
      }
    },
  };
}

function auditLogTable(ctx: TableContext): Table {
  return {
    name: "audit-log",
    title: "Audit log",
    description:
      "Every entry of the hash-chained audit log in the period up to the chain head the manifest names, with each entry's hash and the previous one's, so the chain can be re-checked.",
    columns: ["seq", "at", "actor", "action", "targetType", "targetId", "summary", "diff", "ip", "prevHash", "hash"],
    rows: async function* () {
      const page = (after: { seq: number } | null, take: number) =>
        db.auditEntry.findMany({
          where: {
            at: { gte: ctx.scope.from, lt: ctx.scope.to },
            seq: { lte: ctx.auditHead?.seq ?? 0, ...(after ? { gt: after.seq } : {}) },
          },
          orderBy: { seq: "asc" },
          take,
        });
      for await (const e of paged(page)) {
        yield {
          seq: e.seq,
          at: iso(e.at),
          actor: e.actorEmail,
          action: e.action,
          targetType: e.targetType,
          targetId: e.targetId,
          summary: e.summary,
          diff: e.diff,
          ip: e.ip,
          prevHash: e.prevHash,
          hash: e.hash,
        };
      }
    },
  };
}

function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "")
      .slice(0, 60) || "document"
  );
}

/** Uploaded names were checked at upload; this keeps ZIP paths portable on every unzip tool. */
function safeName(name: string): string {
  return name.replace(/[^\w.\- ]+/g, "_").slice(0, 120);
}
