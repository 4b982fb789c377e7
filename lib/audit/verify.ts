import "server-only";
import { db } from "@/lib/db";
import { GENESIS_HASH, verifyEntries, type ChainReport } from "@/lib/audit/chain";

/** Walks the whole audit log in order, in batches, and reports the first broken link. */
export async function verifyAuditChain(batchSize = 2000): Promise<ChainReport> {
  let state = { prevHash: GENESIS_HASH, count: 0 };
  let afterSeq = -1;
  for (;;) {
    const batch = await db.auditEntry.findMany({ where: { seq: { gt: afterSeq } }, orderBy: { seq: "asc" }, take: batchSize });
    if (batch.length === 0) return { ok: true, count: state.count, headHash: state.prevHash };
    const report = verifyEntries(batch, state);
    if (!report.ok) return report;
    state = { prevHash: report.headHash, count: report.count };
    afterSeq = batch[batch.length - 1]!.seq;
  }
}
