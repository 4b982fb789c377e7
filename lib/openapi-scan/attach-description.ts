import "server-only";
import { DESCRIPTION_SOURCES, type ScanResultView } from "@/lib/openapi-scan/scan-view";
import { createHash } from "node:crypto";
import { z } from "zod";
import { authorizedWrite, type WriteContext } from "@/lib/audit/authorized-write";
import type { Tx } from "@/lib/db/client";
import { requirePermission, requireRolePermission, type Actor } from "@/lib/authz/policy";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { factsOf } from "@/lib/apis/api-data";
import { recordStoredFile, withStoredBlob } from "@/lib/storage/blob-store";
import { parseDescription } from "@/lib/openapi-scan/parse";
import { descriptionRoutes } from "@/lib/openapi-scan/description-routes";
import { scanDescription, type ScanResult } from "@/lib/openapi-scan/scan";
import { anonymousCounts } from "@/lib/openapi-scan/anonymous-counts";
import { storeSpecCounts } from "@/lib/openapi-scan/spec-counts";
import { fetchDescription } from "@/lib/openapi-scan/fetch-description";
import { getSettings } from "@/lib/settings/queries";
import { parseOrThrow } from "@/lib/input/validation";

const liveApiTarget = (apiId: string) => (tx: Tx) =>
  tx.api.findFirst({ where: { id: apiId, deletedAt: null }, select: { ownerId: true, teamId: true } });

export type DescriptionSource = { kind: (typeof DESCRIPTION_SOURCES)[number]; url?: string };

/**
 * The live API, once the actor may edit it: asked before any work is done for the caller — parsing a
 * large description, or making the server fetch a URL — so someone without the right (an auditor,
 * another team's owner, a token limited to another team) learns nothing and costs nothing. The write
 * asks again inside its transaction.
 */
export async function requireEditableApi(actor: Actor, apiId: string) {
  requireRolePermission(actor, "api:update");
  const api = await db.api.findFirst({ where: { id: apiId, deletedAt: null } });
  if (!api) throw new AppError("NOT_FOUND", "That API does not exist or was deleted.");
  requirePermission(actor, "api:update", { ownerId: api.ownerId, teamId: api.teamId });
  return api;
}

const ZFetch = z
  .object({ url: z.string().trim().min(1, "Give the description's URL.").max(2000, "At most 2000 characters.") })
  .strict();

/** Fetches the description from a URL on an allowed host (permission first), then attaches it. */
export async function attachDescriptionFromUrl(ctx: WriteContext, apiId: string, rawUrl: string) {
  await requireEditableApi(ctx.actor, apiId);
  const { url } = parseOrThrow(ZFetch, { url: rawUrl });
  const text = await fetchDescription(url, (await getSettings()).specFetchHosts);
  return attachDescription(ctx, apiId, text, { kind: "url", url });
}

/**
 * Attaches (or replaces) an API's OpenAPI description: parsed and scanned before anything is stored
 * (bad descriptions change nothing), kept as a blob, and its anonymous write/read counts fed into the
 * API's control statuses in the same audited transaction.
 */
export async function attachDescription(ctx: WriteContext, apiId: string, text: string, source: DescriptionSource) {
  const api = await requireEditableApi(ctx.actor, apiId);
  const description = parseDescription(text);
  // The title passed the outside-text rule in parseDescription; it is stored cut to 300 characters, by
  // code point so a surrogate pair is never split.
  const title = Array.from(description.title).slice(0, 300).join("");
  const facts = factsOf(api);
  const result: ScanResult = scanDescription(description, {
    sensitivity: facts.sensitivity,
    readsNonPublic: facts.readsNonPublic,
    authMethods: facts.authMethods,
  });
  // What the file says, before any triage: kept with the description, as are the hosts and path
  // prefixes its servers and paths stand for (the routing page's suggestions).
  const { anonWrites, anonReads } = anonymousCounts(result);
  const routes = JSON.stringify(descriptionRoutes(description.doc));
  const counts = { anonWrites, anonReads };
  const bytes = Buffer.from(text, "utf8");
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const blob = {
    sha256,
    size: bytes.byteLength,
    mediaType: description.format === "json" ? "application/json" : "application/yaml",
    bytes,
  };
  const scanned: ScanResultView = {
    sha256,
    dialect: description.dialect,
    counts: result.counts,
    ...counts,
    findings: result.findings,
  };
  // Returned from the write itself: a retry with the same Idempotency-Key is answered with it (lib/rest/api-route.ts).
  return withStoredBlob(blob, () =>
    authorizedWrite(ctx, { permission: "api:update", loadTarget: liveApiTarget(apiId) }, async (tx, audit) => {
      await recordStoredFile(tx, blob);
      const data = {
        fileSha256: sha256,
        format: description.format,
        dialect: description.dialect,
        title,
        source: source.kind,
        sourceUrl: source.url ?? "",
        operations: result.counts.operations,
        writes: result.counts.writes,
        ...counts,
        uploadedById: ctx.actor.id,
        scannedAt: new Date(),
        routes,
      };
      const before = await tx.apiDescription.findUnique({ where: { apiId } });
      await tx.apiDescription.upsert({ where: { apiId }, create: { apiId, ...data }, update: data });
      // Triages of findings the new file still has keep applying (same rule, same operation).
      const { row, spec } = await storeSpecCounts(tx, apiId, result);
      await audit({
        action: "api.description",
        targetType: "api",
        targetId: apiId,
        summary: `OpenAPI description ${before ? "replaced" : "attached"} for “${row.name}”: ${result.counts.operations} operations, ${counts.anonWrites} anonymous writes, ${result.findings.length} findings`,
        before: before
          ? { sha256: before.fileSha256, anonWrites: before.anonWrites, anonReads: before.anonReads }
          : null,
        after: {
          sha256,
          source: source.kind,
          sourceUrl: source.url ?? "",
          dialect: description.dialect,
          operations: result.counts.operations,
          ...counts,
          findings: result.findings.length,
          acceptedOperations: spec.specAcceptedWrites + spec.specAcceptedReads,
        },
      });
      return scanned;
    }),
  );
}

/** Detaches the description; the controls go back to what the record says. */
export async function removeDescription(ctx: WriteContext, apiId: string): Promise<void> {
  requireRolePermission(ctx.actor, "api:update");
  await authorizedWrite(ctx, { permission: "api:update", loadTarget: liveApiTarget(apiId) }, async (tx, audit) => {
    const before = await tx.apiDescription.findUnique({ where: { apiId } });
    if (!before) throw new AppError("NOT_FOUND", "This API has no OpenAPI description attached.");
    await tx.apiDescription.delete({ where: { apiId } });
    const { row } = await storeSpecCounts(tx, apiId, null);
    await audit({
      action: "api.description.remove",
      targetType: "api",
      targetId: apiId,
      summary: `OpenAPI description removed from “${row.name}”`,
      before: { sha256: before.fileSha256 },
      after: null,
    });
  });
}
