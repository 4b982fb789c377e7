import "server-only";
import { authorizedWrite, type WriteContext } from "@/lib/audit/authorized-write";
import { requireRolePermission, type Actor } from "@/lib/authz/policy";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { OUTCOME_LABELS } from "@/lib/events/outcomes";
import { parseJsonOrLines } from "@/lib/input/parse-body";
import { parseOrThrow } from "@/lib/input/validation";
import { ZFieldMapping, ZMappingPreviewInput, storedMapping, type TFieldMapping } from "@/lib/traffic/field-mapping";
import { compileMapping, readRecord, recordsOf } from "@/lib/traffic/profiles";

// The field mapping of an "any JSON" source: changed by an admin (audited, before and after), and tried on
// a pasted sample first. A corrected mapping also reads the source's quarantine again as it reads now.

/** A sample is small: a few dozen records are enough to see what a mapping reads. */
const PREVIEW_RECORDS = 25;
const SAMPLE_LIMITS = { maxDepth: 32, maxElements: 20_000 };

export type MappingPreviewRow =
  { ok: true; fields: Record<string, string> } | { ok: false; reason: string } | { ok: "skip" };
export type MappingPreview = { records: number; rows: MappingPreviewRow[] };

/** What the mapping reads from each record of the sample (the first 25), or why it cannot. */
export async function previewFieldMapping(actor: Actor, rawInput: unknown): Promise<MappingPreview> {
  requireRolePermission(actor, "traffic:manage");
  const input = parseOrThrow(ZMappingPreviewInput, rawInput);
  const mapping = compileMapping(JSON.stringify(input.mapping));
  let body: unknown;
  try {
    body = await parseJsonOrLines(input.sample, SAMPLE_LIMITS);
  } catch (error) {
    if (error instanceof AppError)
      throw new AppError("VALIDATION", "Some fields need attention.", {
        sample: [error.message.replace("The request body", "The sample")],
      });
    throw error;
  }
  const records = recordsOf("json", body, mapping);
  const now = new Date();
  const rows = records.slice(0, PREVIEW_RECORDS).map((record): MappingPreviewRow => {
    const reading = readRecord("json", record, now, mapping);
    if (reading.ok !== true) return reading;
    const { time, status, outcome, ...rest } = reading.call;
    return {
      ok: true,
      fields: {
        ...rest,
        time: time.toISOString(),
        status: status ? String(status) : "",
        outcome: OUTCOME_LABELS[outcome],
      },
    };
  });
  return { records: records.length, rows };
}

/** An "any JSON" source's field mapping as stored, for its form; null when it has none that validates. */
export async function getSourceMapping(actor: Actor, sourceId: string): Promise<TFieldMapping | null> {
  requireRolePermission(actor, "traffic:manage");
  const source = await db.trafficSource.findUnique({ where: { id: sourceId }, select: { mapping: true } });
  return storedMapping(source?.mapping);
}

/** Replaces an "any JSON" source's field mapping. */
export async function updateSourceMapping(
  ctx: WriteContext,
  sourceId: string,
  rawMapping: unknown,
): Promise<{ id: string }> {
  requireRolePermission(ctx.actor, "traffic:manage");
  const mapping: TFieldMapping = parseOrThrow(ZFieldMapping, rawMapping);
  return authorizedWrite(ctx, { permission: "traffic:manage" }, async (tx, audit) => {
    const source = await tx.trafficSource.findUnique({
      where: { id: sourceId },
      select: { id: true, name: true, profile: true, mapping: true },
    });
    if (!source) throw new AppError("NOT_FOUND", "That traffic source does not exist.");
    if (source.profile !== "json")
      throw new AppError("VALIDATION", "Only a source of the “any JSON” format reads its records through a mapping.");
    const text = JSON.stringify(mapping);
    await tx.trafficSource.update({ where: { id: source.id }, data: { mapping: text, version: { increment: 1 } } });
    await audit({
      action: "traffic-source.mapping",
      targetType: "traffic-source",
      targetId: source.id,
      summary: `Field mapping of traffic source “${source.name}” changed`,
      // Field by field, so the entry lists only the paths that changed.
      before: storedMapping(source.mapping) ?? {},
      after: mapping,
    });
    return { id: source.id };
  });
}
