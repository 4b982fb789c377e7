import "server-only";
import { createHash } from "node:crypto";
import { authorizedWrite, type WriteContext } from "@/lib/audit/authorized-write";
import { requireRolePermission } from "@/lib/authz/policy";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { controlColumns, factsOf } from "@/lib/apis/api-data";
import { blobStore } from "@/lib/storage/blob-store";
import { parseDescription } from "@/lib/openapi-scan/parse";
import { scanDescription, type ScanResult } from "@/lib/openapi-scan/scan";
import { anonymousCounts } from "@/lib/openapi-scan/anonymous-counts";

export type DescriptionSource = { kind: "upload" | "api" | "url"; url?: string };

/**
 * Attaches (or replaces) an API's OpenAPI description: parsed and scanned before anything is stored
 * (bad descriptions change nothing), kept as a blob, and its anonymous write/read counts fed into the
 * API's control statuses in the same audited transaction.
 */
export async function attachDescription(ctx: WriteContext, apiId: string, text: string, source: DescriptionSource) {
  requireRolePermission(ctx.actor, "api:update");
  const api = await db.api.findFirst({ where: { id: apiId, deletedAt: null } });
  if (!api) throw new AppError("NOT_FOUND", "That API does not exist or was deleted.");
  const description = parseDescription(text);
  const facts = factsOf(api);
  const result: ScanResult = scanDescription(description, { sensitivity: facts.sensitivity, readsNonPublic: facts.readsNonPublic, authMethods: facts.authMethods });
  const counts = anonymousCounts(result);
  const bytes = Buffer.from(text, "utf8");
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const store = blobStore();
  const { created } = await store.put(sha256, bytes);
  try {
    await authorizedWrite(ctx, { action: "api:update", loadTarget: (tx) => tx.api.findFirst({ where: { id: apiId, deletedAt: null }, select: { ownerId: true, teamId: true } }) }, async (tx, audit) => {
      await tx.storedFile.upsert({ where: { sha256 }, create: { sha256, size: bytes.byteLength, mediaType: description.format === "json" ? "application/json" : "application/yaml" }, update: {} });
      const data = { fileSha256: sha256, format: description.format, dialect: description.dialect, title: description.title.slice(0, 300), source: source.kind, sourceUrl: source.url ?? "", operations: result.counts.operations, writes: result.counts.writes, ...counts, uploadedById: ctx.actor.id, scannedAt: new Date() };
      const before = await tx.apiDescription.findUnique({ where: { apiId } });
      await tx.apiDescription.upsert({ where: { apiId }, create: { apiId, ...data }, update: data });
      const row = await tx.api.findUniqueOrThrow({ where: { id: apiId } });
      const columns = controlColumns(factsOf({ ...row, specAnonWrites: counts.anonWrites, specAnonReads: counts.anonReads }));
      await tx.api.update({ where: { id: apiId }, data: { specAnonWrites: counts.anonWrites, specAnonReads: counts.anonReads, ...columns, version: { increment: 1 } } });
      await audit({
        action: "api.description",
        targetType: "api",
        targetId: apiId,
        summary: `OpenAPI description ${before ? "replaced" : "attached"} for “${row.name}”: ${result.counts.operations} operations, ${counts.anonWrites} anonymous writes, ${result.findings.length} findings`,
        before: before ? { sha256: before.fileSha256, anonWrites: before.anonWrites, anonReads: before.anonReads } : null,
        after: { sha256, source: source.kind, sourceUrl: source.url ?? "", dialect: description.dialect, operations: result.counts.operations, ...counts, findings: result.findings.length },
      });
    });
  } catch (error) {
    if (created) await store.remove(sha256);
    throw error;
  }
  return { sha256, dialect: description.dialect, counts: result.counts, ...counts, findings: result.findings };
}

/** Detaches the description; the controls go back to what the record says. */
export async function removeDescription(ctx: WriteContext, apiId: string): Promise<void> {
  requireRolePermission(ctx.actor, "api:update");
  await authorizedWrite(ctx, { action: "api:update", loadTarget: (tx) => tx.api.findFirst({ where: { id: apiId, deletedAt: null }, select: { ownerId: true, teamId: true } }) }, async (tx, audit) => {
    const before = await tx.apiDescription.findUnique({ where: { apiId } });
    if (!before) throw new AppError("NOT_FOUND", "This API has no OpenAPI description attached.");
    await tx.apiDescription.delete({ where: { apiId } });
    const row = await tx.api.findUniqueOrThrow({ where: { id: apiId } });
    const columns = controlColumns(factsOf({ ...row, specAnonWrites: null, specAnonReads: null }));
    await tx.api.update({ where: { id: apiId }, data: { specAnonWrites: null, specAnonReads: null, ...columns, version: { increment: 1 } } });
    await audit({ action: "api.description.remove", targetType: "api", targetId: apiId, summary: `OpenAPI description removed from “${row.name}”`, before: { sha256: before.fileSha256 }, after: null });
  });
}
