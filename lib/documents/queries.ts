import "server-only";
import { db } from "@/lib/db/client";
import { can, requirePermission, type Actor } from "@/lib/authz/policy";
import { fromDate } from "@/lib/input/date-input";
import { REQUIRED_KINDS, type DocumentKind } from "@/lib/documents/schemas";
import { documentState, requiredDocumentGaps, type VersionFacts } from "@/lib/documents/status";
import type { DocumentView } from "@/lib/documents/list-view";
import { pageWindow } from "@/lib/tables/table-params";

const VERSION_FACTS = {
  id: true,
  number: true,
  status: true,
  effectiveDate: true,
  nextReviewDate: true,
  approvedAt: true,
  createdAt: true,
} as const;

/** UTC midnight of today: dates are calendar dates stored at UTC midnight. */
const startOfToday = (now: Date) => new Date(`${now.toISOString().slice(0, 10)}T00:00:00Z`);

/** One page of the document register, in the order the view names. */
export async function listDocuments(actor: Actor | null, view: DocumentView, now = new Date()) {
  requirePermission(actor, "document:read");
  const today = startOfToday(now);
  const dir = view.desc ? "desc" : "asc";
  const [total, docs] = await Promise.all([
    db.document.count(),
    db.document.findMany({
      orderBy:
        view.sort === "kind" ? [{ kind: dir }, { title: "asc" }, { id: "asc" }] : [{ title: dir }, { id: "asc" }],
      ...pageWindow(view),
      select: { id: true, kind: true, title: true, versions: { select: { ...VERSION_FACTS, label: true } } },
    }),
  ]);
  const rows = docs.map((d) => {
    const { state, inForce, pendingDrafts } = documentState(d.versions as VersionFacts[], today);
    const label = inForce ? d.versions.find((v) => v.id === inForce.id)?.label : undefined;
    return {
      id: d.id,
      kind: d.kind as DocumentKind,
      title: d.title,
      state,
      pendingDrafts,
      inForce: inForce
        ? {
            number: inForce.number,
            label: label ?? "",
            effectiveDate: fromDate(inForce.effectiveDate),
            nextReviewDate: fromDate(inForce.nextReviewDate),
          }
        : null,
    };
  });
  return { total, rows };
}
export type DocumentRow = Awaited<ReturnType<typeof listDocuments>>["rows"][number];

/** Required kinds with no current approved document (missing, overdue for review, not yet in effect). */
export async function getDocumentGaps(actor: Actor | null, now = new Date()) {
  requirePermission(actor, "document:read");
  return documentGapsOn(now);
}

/**
 * The same judgement on any day, for callers already allowed to read documents (the evidence export,
 * whose own permission covers every record in its scope).
 */
export async function documentGapsOn(day: Date) {
  const today = startOfToday(day);
  const docs = await db.document.findMany({ select: { kind: true, versions: { select: VERSION_FACTS } } });
  return requiredDocumentGaps(
    REQUIRED_KINDS,
    docs.map((d) => ({ kind: d.kind, state: documentState(d.versions as VersionFacts[], today).state })),
  );
}

export async function getDocument(actor: Actor | null, id: string, now = new Date()) {
  requirePermission(actor, "document:read");
  const d = await db.document.findUnique({
    where: { id },
    include: { versions: { orderBy: { number: "desc" }, include: { file: true } } },
  });
  if (!d) return null;
  const people = new Map((await db.user.findMany({ select: { id: true, name: true } })).map((u) => [u.id, u.name]));
  const { state, inForce } = documentState(d.versions as VersionFacts[], startOfToday(now));
  return {
    id: d.id,
    kind: d.kind as DocumentKind,
    title: d.title,
    description: d.description,
    state,
    inForceId: inForce?.id ?? null,
    versions: d.versions.map((v) => ({
      id: v.id,
      number: v.number,
      label: v.label,
      changeNote: v.changeNote,
      status: v.status,
      body: v.body,
      file: v.file ? { name: v.fileName, size: v.file.size, mediaType: v.file.mediaType, sha256: v.file.sha256 } : null,
      effectiveDate: fromDate(v.effectiveDate),
      nextReviewDate: fromDate(v.nextReviewDate),
      uploadedBy: v.uploadedById ? (people.get(v.uploadedById) ?? "unknown") : "system",
      approver: v.approverId ? (people.get(v.approverId) ?? "unknown") : null,
      approvedOn: fromDate(v.approvedAt),
      /** The approval date cannot precede it. */
      uploadedOn: fromDate(v.createdAt),
      canApprove: can(actor, "document:approve", { ownerId: v.uploadedById, locked: v.status !== "DRAFT" }),
    })),
  };
}
export type DocumentDetail = NonNullable<Awaited<ReturnType<typeof getDocument>>>;

/** The stored file of a version, for the download route. */
export async function getVersionFile(actor: Actor | null, versionId: string) {
  requirePermission(actor, "document:read");
  const v = await db.documentVersion.findUnique({
    where: { id: versionId },
    select: { fileName: true, file: { select: { sha256: true, size: true, mediaType: true } } },
  });
  return v?.file ? { fileName: v.fileName, ...v.file } : null;
}

/** Documents to offer as training materials. */
export async function listDocumentChoices(actor: Actor | null) {
  requirePermission(actor, "document:read");
  return db.document.findMany({ orderBy: { title: "asc" }, select: { id: true, title: true, kind: true }, take: 2000 });
}
