import "server-only";
import { authorizedWrite, type WriteContext } from "@/lib/audit/authorized-write";
import { requireRolePermission } from "@/lib/authz/policy";
import { toDate } from "@/lib/input/date-input";
import { AppError } from "@/lib/errors";
import { db } from "@/lib/db/client";
import { parseOrThrow } from "@/lib/input/validation";
import { recordStoredFile, withStoredBlob } from "@/lib/storage/blob-store";
import { inspectUpload, type InspectedUpload } from "@/lib/storage/inspect-upload";
import { ZVersionInput } from "@/lib/documents/schemas";

export type UploadedFile = { name: string; bytes: Uint8Array };

/**
 * Adds a draft version with either an uploaded file or a text body. The file is checked (size, name,
 * content) and the document found before anything is stored, so a refused upload stores nothing; the
 * blob is written before the database transaction (a row never names a missing file), and one whose
 * transaction then fails is left to the garbage collector (lib/storage/blob-store.ts).
 */
export async function addDocumentVersion(
  ctx: WriteContext,
  documentId: string,
  rawInput: unknown,
  file: UploadedFile | null,
): Promise<{ id: string; number: number }> {
  requireRolePermission(ctx.actor, "document:manage");
  const input = parseOrThrow(ZVersionInput, rawInput);
  if (file && input.body)
    throw new AppError("VALIDATION", "Give a file or a text body, not both.", {
      body: ["Leave the text empty when you upload a file."],
    });
  if (!file && !input.body)
    throw new AppError("VALIDATION", "Give the content: upload a file or write the text.", {
      file: ["Upload a file, or write the text below."],
    });
  const upload: InspectedUpload | null = file ? await inspectUpload(file.name, file.bytes) : null;
  if (upload && !(await db.document.findUnique({ where: { id: documentId }, select: { id: true } })))
    throw new AppError("NOT_FOUND", "That record does not exist or was deleted.");

  const write = () =>
    authorizedWrite(
      ctx,
      {
        permission: "document:manage",
        loadTarget: async (tx) =>
          (await tx.document.findUnique({ where: { id: documentId }, select: { id: true } })) ? {} : null,
      },
      async (tx, audit) => {
        const doc = await tx.document.findUniqueOrThrow({
          where: { id: documentId },
          select: { title: true, versions: { orderBy: { number: "desc" }, take: 1, select: { number: true } } },
        });
        const number = (doc.versions[0]?.number ?? 0) + 1;
        if (upload) await recordStoredFile(tx, upload);
        const version = await tx.documentVersion.create({
          data: {
            documentId,
            number,
            label: input.label,
            changeNote: input.changeNote,
            body: input.body,
            fileSha256: upload?.sha256 ?? null,
            fileName: upload?.fileName ?? "",
            effectiveDate: toDate(input.effectiveDate)!,
            nextReviewDate: toDate(input.nextReviewDate)!,
            uploadedById: ctx.actor.id,
          },
        });
        const content = upload
          ? { fileName: upload.fileName, sha256: upload.sha256, size: upload.size, mediaType: upload.mediaType }
          : { bodyLength: input.body.length };
        await audit({
          action: "document.version.add",
          targetType: "document",
          targetId: documentId,
          summary: `Version ${number} of “${doc.title}” uploaded for approval`,
          after: { number, ...input, body: undefined, ...content },
        });
        return { id: version.id, number };
      },
    );
  return upload ? withStoredBlob(upload, write) : write();
}
