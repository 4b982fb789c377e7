import "server-only";
import { CONTROL_COLUMN } from "@/lib/ism/controls";
import { text } from "node:stream/consumers";
import { db, type Tx } from "@/lib/db/client";
import { controlColumns, factsOf } from "@/lib/apis/api-data";
import { blobStore } from "@/lib/storage/blob-store";
import { parseDescription } from "@/lib/openapi-scan/parse";
import { scanDescription, type ScanResult } from "@/lib/openapi-scan/scan";
import { ANONYMOUS_OPERATION_RULES, anonymousCounts } from "@/lib/openapi-scan/anonymous-counts";

/** A scan of the attached description against the API's current record, and the file it read. */
export type AttachedScan = { sha256: string; result: ScanResult };

/**
 * Scans the API's attached description (null when none): read and parsed outside any transaction, as
 * a large description takes a while; the write that uses it checks the file is still the one attached.
 */
export async function scanAttachedDescription(apiId: string): Promise<AttachedScan | null> {
  const d = await db.apiDescription.findUnique({ where: { apiId }, include: { api: true } });
  if (!d) return null;
  const facts = factsOf(d.api);
  const result = scanDescription(parseDescription(await text(await blobStore().open(d.fileSha256))), {
    sensitivity: facts.sensitivity,
    readsNonPublic: facts.readsNonPublic,
    authMethods: facts.authMethods,
  });
  return { sha256: d.fileSha256, result };
}

/** Triages in force: approved, and not yet at their expiry. */
export const validTriageWhere = (now: Date) => ({ status: "APPROVED" as const, expiresOn: { gt: now } });

/**
 * Stores the description's anonymous-operation counts on the API (null = none attached) and
 * re-evaluates its controls. Operations named by a triage in force are counted apart, so they no
 * longer decide ISM-2013/2014 but stay visible beside them.
 */
export async function storeSpecCounts(tx: Tx, apiId: string, result: ScanResult | null, now = new Date()) {
  const row = await tx.api.findUniqueOrThrow({ where: { id: apiId } });
  const accepted = result
    ? new Set(
        (
          await tx.findingTriage.findMany({
            where: { apiId, ...validTriageWhere(now) },
            select: { rule: true, pointer: true },
          })
        )
          .filter((t) => ANONYMOUS_OPERATION_RULES.has(t.rule))
          .map((t) => t.pointer),
      )
    : new Set<string>();
  const counts = result ? anonymousCounts(result, accepted) : null;
  const spec = {
    specAnonWrites: counts?.anonWrites ?? null,
    specAnonReads: counts?.anonReads ?? null,
    specAcceptedWrites: counts?.acceptedWrites ?? 0,
    specAcceptedReads: counts?.acceptedReads ?? 0,
  };
  const changed = (Object.keys(spec) as (keyof typeof spec)[]).some((k) => row[k] !== spec[k]);
  const columns = controlColumns(factsOf({ ...row, ...spec }));
  if (changed) await tx.api.update({ where: { id: apiId }, data: { ...spec, ...columns, version: { increment: 1 } } });
  // The control results the new counts flipped, for the audit entry of the change that caused them.
  const flipped = Object.values(CONTROL_COLUMN).filter((c) => changed && row[c] !== columns[c]);
  const controls = {
    before: Object.fromEntries(flipped.map((c) => [c, row[c]])),
    after: Object.fromEntries(flipped.map((c) => [c, columns[c]])),
  };
  return { row, spec, changed, controls };
}

/** No control result flipped. */
export const NO_FLIP = { before: {}, after: {} } as const;
