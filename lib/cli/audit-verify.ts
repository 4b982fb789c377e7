// npm run audit:verify — walks the whole hash-chained audit log; exit 1 if any entry was altered,
// removed or reordered.
import { verifyAuditChain } from "@/lib/audit/verify";
import { disconnectDb } from "@/lib/db";

const report = await verifyAuditChain();
await disconnectDb();
if (report.ok) {
  console.log(`Audit log intact: ${report.count} entries verified.`);
  console.log(`Head hash: ${report.headHash}`);
} else {
  console.error(`Audit log BROKEN at entry ${report.brokenAtSeq}: ${report.reason}.`);
  console.error(`${report.count} entries before it verified.`);
  process.exit(1);
}
