import "server-only";
import { db } from "@/lib/db/client";
import { requirePermission, type Actor } from "@/lib/authz/policy";
import { fromDate } from "@/lib/input/date-input";
import { TRAINING_VALID_DAYS } from "@/lib/training/schemas";
import type { TrainingView } from "@/lib/training/list-view";
import { pageWindow, type TablePage } from "@/lib/tables/table-params";

export type TrainingSessionRow = {
  id: string;
  topic: string;
  heldOn: string;
  trainer: string;
  durationMinutes: number;
  isApiSecurity: boolean;
  attendees: number;
};

/** One page of training sessions, in the order the view names. */
export async function listTrainingSessions(
  actor: Actor | null,
  view: TrainingView,
): Promise<TablePage<TrainingSessionRow>> {
  requirePermission(actor, "training:read");
  const dir = view.desc ? "desc" : "asc";
  const [total, rows] = await Promise.all([
    db.trainingSession.count(),
    db.trainingSession.findMany({
      orderBy: [{ [view.sort]: dir }, { createdAt: dir }, { id: "asc" }],
      ...pageWindow(view),
      select: {
        id: true,
        topic: true,
        heldOn: true,
        trainer: true,
        durationMinutes: true,
        isApiSecurity: true,
        _count: { select: { attendees: true } },
      },
    }),
  ]);
  return {
    total,
    rows: rows.map((r) => ({
      id: r.id,
      topic: r.topic,
      heldOn: fromDate(r.heldOn),
      trainer: r.trainer,
      durationMinutes: r.durationMinutes,
      isApiSecurity: r.isApiSecurity,
      attendees: r._count.attendees,
    })),
  };
}

export async function getTrainingSession(actor: Actor | null, id: string) {
  requirePermission(actor, "training:read");
  const s = await db.trainingSession.findUnique({
    where: { id },
    include: {
      materials: { select: { id: true, title: true } },
      attendees: { select: { user: { select: { id: true, name: true, email: true } } } },
    },
  });
  if (!s) return null;
  return {
    id: s.id,
    version: s.version,
    input: {
      topic: s.topic,
      heldOn: fromDate(s.heldOn),
      trainer: s.trainer,
      durationMinutes: s.durationMinutes,
      isApiSecurity: s.isApiSecurity,
      notes: s.notes,
      materialsId: s.materialsId ?? "",
      attendeeIds: s.attendees.map((a) => a.user.id),
    },
    materials: s.materials,
    attendees: s.attendees.map((a) => a.user).sort((a, b) => a.name.localeCompare(b.name)),
  };
}

export async function listAttendeeChoices(actor: Actor | null) {
  requirePermission(actor, "training:read");
  return db.user.findMany({
    where: { isActive: true },
    orderBy: { name: "asc" },
    select: { id: true, name: true, email: true },
  });
}

/**
 * Who must be trained (active people who own an API or review access), the date of each one's last
 * API-security training, and the share trained within the last 12 months.
 */
export async function getTrainingCoverage(actor: Actor | null, now = new Date()) {
  requirePermission(actor, "training:read");
  const since = new Date(now.getTime() - TRAINING_VALID_DAYS * 86_400_000);
  const [owners, reviewers] = await Promise.all([
    // Grouped by the database (Prisma's `distinct` reads every row and drops repeats itself).
    db.api.groupBy({ by: ["ownerId"], where: { deletedAt: null, ownerId: { not: null } } }),
    db.review.findMany({
      where: { reviewerId: { not: null }, OR: [{ status: { not: "SIGNED_OFF" } }, { updatedAt: { gte: since } }] },
      distinct: ["reviewerId"],
      select: { reviewerId: true },
    }),
  ]);
  const roles = new Map<string, Set<"owner" | "reviewer">>();
  for (const o of owners) roles.set(o.ownerId!, new Set([...(roles.get(o.ownerId!) ?? []), "owner"]));
  for (const r of reviewers) roles.set(r.reviewerId!, new Set([...(roles.get(r.reviewerId!) ?? []), "reviewer"]));
  const people = await db.user.findMany({
    where: { id: { in: [...roles.keys()] }, isActive: true },
    orderBy: { name: "asc" },
    select: {
      id: true,
      name: true,
      email: true,
      trainings: { where: { session: { isApiSecurity: true } }, select: { session: { select: { heldOn: true } } } },
    },
  });
  const rows = people.map((p) => {
    const last = p.trainings.reduce<Date | null>((m, t) => (!m || t.session.heldOn > m ? t.session.heldOn : m), null);
    return {
      id: p.id,
      name: p.name,
      email: p.email,
      roles: [...roles.get(p.id)!].sort(),
      lastTrained: fromDate(last),
      isCurrent: last !== null && last >= since,
    };
  });
  const trained = rows.filter((r) => r.isCurrent).length;
  return { people: rows, population: rows.length, trained, share: rows.length ? trained / rows.length : null };
}
