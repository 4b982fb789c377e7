import "server-only";
import { text } from "node:stream/consumers";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { requirePermission, type Actor } from "@/lib/authz/policy";
import { factsOf } from "@/lib/apis/api-data";
import { blobStore } from "@/lib/storage/blob-store";
import { parseDescription } from "@/lib/openapi-scan/parse";
import { scanDescription } from "@/lib/openapi-scan/scan";

/**
 * The attached description with a fresh scan against the API's current record (sensitivity and
 * recorded methods change the findings), or null when none is attached.
 */
export async function getDescriptionReport(actor: Actor | null, apiId: string) {
  requirePermission(actor, "api:read");
  const api = await db.api.findFirst({
    where: { id: apiId, deletedAt: null },
    select: { ownerId: true, teamId: true },
  });
  if (!api) throw new AppError("NOT_FOUND", "That API does not exist or was deleted.");
  // Asked with the API as target: a token limited to one team reads only that team's descriptions.
  requirePermission(actor, "api:read", api);
  const d = await db.apiDescription.findUnique({ where: { apiId }, include: { api: true } });
  if (!d) return null;
  const facts = factsOf(d.api);
  const result = scanDescription(parseDescription(await text(await blobStore().open(d.fileSha256))), {
    sensitivity: facts.sensitivity,
    readsNonPublic: facts.readsNonPublic,
    authMethods: facts.authMethods,
  });
  const uploader = d.uploadedById
    ? await db.user.findUnique({ where: { id: d.uploadedById }, select: { name: true } })
    : null;
  return {
    sha256: d.fileSha256,
    dialect: d.dialect,
    title: d.title,
    source: d.source,
    sourceUrl: d.sourceUrl,
    scannedAt: d.scannedAt.toISOString(),
    uploadedBy: uploader?.name ?? "system",
    anonWrites: d.anonWrites,
    anonReads: d.anonReads,
    counts: result.counts,
    findings: result.findings,
    operations: result.operations,
    schemes: result.schemes,
  };
}
export type DescriptionReport = NonNullable<Awaited<ReturnType<typeof getDescriptionReport>>>;
