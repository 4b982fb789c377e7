import "server-only";
import { db } from "@/lib/db/client";
import { ChainVerifier, type ChainReport } from "@/lib/audit/chain";

/** Walks the whole audit log in order, in batches, and reports every broken entry. */
export async function verifyAuditChain(batchSize = 2000): Promise<ChainReport> {
  const verifier = new ChainVerifier();
  let afterSeq = -1;
  for (;;) {
    const batch = await db.auditEntry.findMany({
      where: { seq: { gt: afterSeq } },
      orderBy: { seq: "asc" },
      take: batchSize,
    });
    if (batch.length === 0) return verifier.report();
    for (const entry of batch) verifier.add(entry);
    afterSeq = batch[batch.length - 1]!.seq;
  }
}
