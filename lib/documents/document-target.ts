import "server-only";
import type { Tx } from "@/lib/db/client";

/** A document version as a permission target: its uploader (who may not approve it), locked unless a draft. */
export function versionTarget(versionId: string) {
  return async (tx: Tx) => {
    const v = await tx.documentVersion.findUnique({
      where: { id: versionId },
      select: { uploadedById: true, status: true },
    });
    return v ? { ownerId: v.uploadedById, locked: v.status !== "DRAFT" } : null;
  };
}
