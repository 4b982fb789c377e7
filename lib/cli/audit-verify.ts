// npm run audit:verify — walks the whole hash-chained audit log; exit 1 if any entry was altered,
// removed or reordered. Every broken entry is reported (a count and the first of them), not only the
// first: an entry broken by accident must not hide deliberate tampering after it.
import { verifyAuditChain } from "@/lib/audit/verify";
import { disconnectDb } from "@/lib/db";

const report = await verifyAuditChain();
await disconnectDb();
if (report.ok) {
  console.log(`Audit log intact: ${report.count} entries verified.`);
  if (report.head) console.log(`Head: entry ${report.head.seq}, hash ${report.head.hash}`);
} else {
  console.error(`Audit log BROKEN: ${report.brokenCount} of ${report.count} entries fail verification.`);
  for (const b of report.broken) console.error(`  - ${b.reason}`);
  if (report.brokenCount > report.broken.length) console.error(`  … and ${report.brokenCount - report.broken.length} more.`);
  process.exit(1);
}
