import "server-only";
import { db } from "@/lib/db/client";
import { can, requirePermission, type Actor } from "@/lib/authz/policy";
import { fromDate } from "@/lib/input/date-input";
import type { Answer, Outcome } from "@/lib/acquisitions/schemas";
import type { ChecklistView } from "@/lib/acquisitions/list-view";
import { pageWindow, type TablePage } from "@/lib/tables/table-params";

const names = async (ids: string[]) =>
  new Map(
    (await db.user.findMany({ where: { id: { in: [...new Set(ids)] } }, select: { id: true, name: true } })).map(
      (u) => [u.id, u.name],
    ),
  );

export type ChecklistRow = {
  id: string;
  vendor: string;
  product: string;
  requestedOn: string;
  requester: string;
  reviewer: string;
  outcome: Outcome | null;
  answered: number;
  questions: number;
};

/** One page of acquisition checklists, in the order the view names. */
export async function listChecklists(actor: Actor | null, view: ChecklistView): Promise<TablePage<ChecklistRow>> {
  requirePermission(actor, "acquisition:read");
  const dir = view.desc ? "desc" : "asc";
  const [total, rows] = await Promise.all([
    db.acquisitionChecklist.count(),
    db.acquisitionChecklist.findMany({
      orderBy: [{ [view.sort]: dir }, { createdAt: dir }, { id: "asc" }],
      ...pageWindow(view),
      include: { answers: { select: { answer: true } } },
    }),
  ]);
  const people = await names(rows.flatMap((c) => [c.requesterId, c.reviewerId]));
  return {
    total,
    rows: rows.map((c) => ({
      id: c.id,
      vendor: c.vendor,
      product: c.product,
      requestedOn: fromDate(c.requestedOn),
      requester: people.get(c.requesterId) ?? "unknown",
      reviewer: people.get(c.reviewerId) ?? "unknown",
      outcome: c.outcome as Outcome | null,
      answered: c.answers.filter((a) => a.answer).length,
      questions: c.answers.length,
    })),
  };
}

export async function getChecklist(actor: Actor | null, id: string) {
  requirePermission(actor, "acquisition:read");
  const c = await db.acquisitionChecklist.findUnique({
    where: { id },
    include: { answers: { orderBy: { position: "asc" } } },
  });
  if (!c) return null;
  const people = await names([c.requesterId, c.reviewerId]);
  const target = { ownerId: c.requesterId, reviewerId: c.reviewerId, locked: c.outcome !== null };
  return {
    id: c.id,
    version: c.version,
    vendor: c.vendor,
    product: c.product,
    description: c.description,
    requestedOn: fromDate(c.requestedOn),
    requester: people.get(c.requesterId) ?? "unknown",
    reviewer: people.get(c.reviewerId) ?? "unknown",
    outcome: c.outcome as Outcome | null,
    conditions: c.conditions,
    decidedAt: c.decidedAt?.toISOString() ?? null,
    answers: c.answers.map((a) => ({
      position: a.position,
      question: a.questionText,
      help: a.questionHelp,
      answer: a.answer as Answer | "",
      evidence: a.evidence,
    })),
    canEdit: can(actor, "acquisition:edit", target),
    canDecide: can(actor, "acquisition:decide", target),
  };
}
export type ChecklistDetail = NonNullable<Awaited<ReturnType<typeof getChecklist>>>;

export async function listQuestions(actor: Actor | null) {
  requirePermission(actor, "acquisition:read");
  return db.acquisitionQuestion.findMany({
    orderBy: { position: "asc" },
    select: { id: true, text: true, help: true, isActive: true },
  });
}

/** Managers and admins who can review a checklist (not the person asking). */
export async function listReviewerChoices(actor: Actor | null) {
  requirePermission(actor, "acquisition:read");
  const rows = await db.user.findMany({
    where: { isActive: true, role: { in: ["MANAGER", "ADMIN"] } },
    orderBy: { name: "asc" },
    select: { id: true, name: true },
  });
  return rows.filter((r) => actor?.kind !== "user" || r.id !== actor.id);
}
