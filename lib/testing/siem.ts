// Shared by the SIEM forwarder's suites (syslog and OTLP): waiting for a condition, and audit entries
// written as the installation writes them.
import { authorizedWrite } from "@/lib/audit/authorized-write";

/** Resolves once `done` holds, polling every 100 ms; throws after `ms`. */
export async function until(done: () => boolean | Promise<boolean>, ms = 60_000): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end;) {
    if (await done()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("timed out");
}

/** One audit entry, numbered `n`, with non-ASCII text and optional padding (for large batches). */
export const auditedEntry = (n: number, pad = "") =>
  authorizedWrite(
    { actor: { kind: "system", id: null, email: "test@apiledger" } },
    { permission: "audit:checkpoint" },
    async (_tx, audit) => {
      await audit({
        action: "test.forwarded",
        targetType: "test",
        targetId: String(n),
        summary: `entry ${n} — “ünïcode”${pad}`,
      });
    },
  );

/** A fresh forwarder cursor: the next forwarder starts from the first entry. */
export const resetCursor = () =>
  authorizedWrite(
    { actor: { kind: "system", id: null, email: "test@apiledger" } },
    { permission: "audit:forward", countsOnly: "audit:forward" },
    async (tx) => {
      await tx.forwarderCursor.deleteMany({});
    },
  );
