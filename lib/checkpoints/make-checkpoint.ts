import "server-only";
import { logError, logger } from "@/lib/log/logger";
import { createHash } from "node:crypto";
import { authorizedWrite } from "@/lib/audit/authorized-write";
import type { Tx } from "@/lib/db/client";
import { ChainVerifier } from "@/lib/audit/chain";
import { checkCheckpoint, checkpointLine, signCheckpoint, type SignedCheckpoint } from "@/lib/audit/checkpoint-format";
import { appendCheckpointLine, checkpointFilePath, readCheckpointLines } from "@/lib/audit/checkpoint-file";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { retiredKeyLimits, retiredPublicKeys, signingKey } from "@/lib/signing/key";
import { queueNotifications } from "@/lib/notifications/notify";
import { parseSyslogUrl, sendSyslog } from "@/lib/syslog/syslog";

// Making a checkpoint (format: checkpoint-format.ts). The installation signs its audit log's head with
// the evidence key — one key and one fingerprint for auditors to trust, published on the Evidence page —
// at a fixed interval (lib/cli/start.ts) and for every evidence bundle. Before it signs, it checks that
// the log still contains, unchanged, the latest checkpoint it can see outside the database (the file):
// signing a rewritten log would launder the rewrite, so it refuses, logs and alerts the admins instead.

const SYSTEM = { kind: "system" as const, id: null, email: "audit-checkpoints@apiledger" };
export const CHECKPOINT_ACTION = "audit.checkpoint";

/** APILEDGER_CHECKPOINT_MINUTES: how often the server signs a checkpoint (1–1440, default 60). */
export function checkpointIntervalMinutes(env: NodeJS.ProcessEnv = process.env): number {
  const value = Number(env.APILEDGER_CHECKPOINT_MINUTES?.trim() || 60);
  if (!Number.isInteger(value) || value < 1 || value > 1440)
    throw new Error("APILEDGER_CHECKPOINT_MINUTES must be a whole number of minutes from 1 to 1440.");
  return value;
}

/**
 * The newest checkpoint in the file that this installation signed (by sequence number), or null. Its
 * earlier keys count too: after a rotation the file's newest checkpoint is the old key's, and a log
 * rewritten since must still be caught.
 */
function latestOutsideCheckpoint(publicKeyPems: string[], file = checkpointFilePath()): SignedCheckpoint | null {
  let latest: SignedCheckpoint | null = null;
  // A retired key's checkpoint past its last entry was not made by this installation: it is skipped.
  const limits = retiredKeyLimits();
  for (const line of readCheckpointLines(file)) {
    const checked = checkCheckpoint(line, publicKeyPems, limits);
    if (checked.ok && (!latest || checked.checkpoint.seq > latest.seq)) latest = checked.checkpoint;
  }
  return latest;
}

type Consistency = { ok: true; head: { seq: number; hash: string } | null } | { ok: false; problems: string[] };

/**
 * Does the log, read through `client`, still hold `from` (a checkpoint's entry, unchanged), and does every
 * entry after it follow it, each with its own hash right? With nothing to compare with (the first
 * checkpoint, as with Certificate Transparency's first tree head) it is taken as it is; audit:verify
 * checks the whole chain.
 */
async function consistentFrom(
  client: Pick<Tx, "auditEntry">,
  from: { seq: number; hash: string; label: string } | null,
): Promise<Consistency> {
  if (!from)
    return {
      ok: true,
      head: await client.auditEntry.findFirst({ orderBy: { seq: "desc" }, select: { seq: true, hash: true } }),
    };
  const entry = await client.auditEntry.findUnique({ where: { seq: from.seq }, select: { hash: true } });
  if (!entry)
    return {
      ok: false,
      problems: [`the log has no entry ${from.seq}, which ${from.label} covers: entries were deleted`],
    };
  if (entry.hash !== from.hash)
    return {
      ok: false,
      problems: [
        `entry ${from.seq} is not the one ${from.label} covers (hash ${entry.hash}, signed ${from.hash}): the log was rewritten`,
      ],
    };
  const verifier = new ChainVerifier(from);
  for (let after = from.seq; ;) {
    const batch = await client.auditEntry.findMany({
      where: { seq: { gt: after } },
      orderBy: { seq: "asc" },
      take: 2000,
    });
    if (batch.length === 0) break;
    for (const entry of batch) verifier.add(entry);
    after = batch[batch.length - 1]!.seq;
  }
  const report = verifier.report();
  return report.ok ? { ok: true, head: report.head } : { ok: false, problems: report.broken.map((b) => b.reason) };
}

/**
 * Signs a checkpoint of the whole log (its own "audit.checkpoint" entry included), stores it and emits
 * it to the file and syslog. With `reason` "interval" nothing is signed when no entry was added since the
 * latest stored checkpoint. Throws (CONFLICT) when the log is not consistent with the file's checkpoint.
 */
export async function makeCheckpoint(
  reason: "interval" | "export" | "rotation",
  now: () => Date = () => new Date(),
  /** An export's key: its checkpoint must be signed by the key that signs the rest of the bundle. */
  signer?: string,
): Promise<SignedCheckpoint | null> {
  const key = signingKey();
  if (reason === "interval") {
    const [last, head] = await Promise.all([
      db.auditCheckpoint.findFirst({ orderBy: { seq: "desc" }, select: { seq: true } }),
      db.auditEntry.findFirst({ orderBy: { seq: "desc" }, select: { seq: true } }),
    ]);
    if (last && head && last.seq === head.seq) return null;
  }
  const outside = latestOutsideCheckpoint([key.publicKeyPem, ...retiredPublicKeys(process.env, key.publicKeyPem)]);
  const label = outside ? `the checkpoint of ${outside.time.toISOString()} in ${checkpointFilePath()}` : "";
  // The long walk runs outside the transaction, so writers are not held up; inside it only the entries
  // written since are checked, under the chain lock.
  const walked = await consistentFrom(db, outside ? { seq: outside.seq, hash: outside.head, label } : null);
  if (!walked.ok) await refuse(walked.problems);
  const head = walked.ok ? walked.head : null;
  const signed = await authorizedWrite({ actor: SYSTEM }, { permission: "audit:checkpoint" }, async (tx, audit) => {
    const recent = await consistentFrom(tx, head ? { ...head, label: "the head just checked" } : null);
    if (!recent.ok)
      throw new AppError("CONFLICT", `The audit log changed while it was being checked: ${recent.problems[0]}`);
    // The key is read again in the chain's turn: a rotation that finished meanwhile (its new key's first
    // checkpoint is the retired key's last entry) must not be followed by the old key signing later entries.
    const key = signingKey();
    if (signer && key.fingerprint !== signer)
      throw new AppError(
        "CONFLICT",
        "The signing key was replaced while the bundle was being built; export it again to have it signed by the new key.",
      );
    await audit({
      action: CHECKPOINT_ACTION,
      targetType: "audit-log",
      targetId: "-",
      summary: `Audit log checkpoint signed (${reason})`,
      details: {
        reason,
        fingerprint: key.fingerprint,
        outside: outside ? { seq: outside.seq, head: outside.head } : null,
      },
    });
    const own = await tx.auditEntry.findFirstOrThrow({ orderBy: { seq: "desc" }, select: { seq: true, hash: true } });
    const checkpoint = signCheckpoint(
      { installation: key.fingerprint, seq: own.seq, head: own.hash, time: now() },
      key.sign,
    );
    await tx.auditCheckpoint.create({
      data: {
        seq: checkpoint.seq,
        headHash: checkpoint.head,
        at: checkpoint.time,
        fingerprint: checkpoint.installation,
        reason,
        text: checkpoint.text,
        signature: checkpoint.signature,
      },
    });
    return checkpoint;
  });
  await emit(signed);
  return signed;
}

/**
 * The copies outside the database. Written after the commit (a checkpoint of an entry that was rolled
 * back would be a false statement). A failure here is logged, not thrown: the checkpoint is stored and
 * signed either way, and the next one will be emitted again.
 */
async function emit(checkpoint: SignedCheckpoint): Promise<void> {
  const line = checkpointLine(checkpoint);
  try {
    appendCheckpointLine(line);
  } catch (error) {
    logError("could not append the audit checkpoint to its file", error, { file: checkpointFilePath() });
  }
  try {
    const target = parseSyslogUrl(process.env.APILEDGER_SYSLOG_URL);
    if (target) {
      await sendSyslog(target, {
        msgId: "checkpoint",
        at: checkpoint.time,
        structuredData: {
          id: "checkpoint@32473",
          params: {
            installation: checkpoint.installation,
            seq: String(checkpoint.seq),
            head: checkpoint.head,
            time: checkpoint.time.toISOString(),
            sig: checkpoint.signature,
          },
        },
        text: line,
      });
    }
  } catch (error) {
    logError("could not send the audit checkpoint to syslog", error);
  }
}

/** Logs the refusal, records it and alerts every active admin (once a day per distinct problem). */
async function refuse(problems: string[]): Promise<never> {
  const summary = `Audit checkpoint refused: the audit log is not consistent with the latest checkpoint outside the database (${problems[0]})`;
  logger().error({ problems }, summary);
  const key = createHash("sha256").update(problems.join("\n")).digest("hex").slice(0, 16);
  const day = new Date().toISOString().slice(0, 10);
  await authorizedWrite({ actor: SYSTEM }, { permission: "audit:checkpoint" }, async (tx, audit) => {
    await audit({
      action: "audit.checkpoint-refused",
      targetType: "audit-log",
      targetId: "-",
      summary,
      details: { problems: problems.slice(0, 20), count: problems.length },
    });
    const admins = await tx.user.findMany({
      where: { role: "ADMIN", isActive: true, isServiceAccount: false },
      select: { id: true },
    });
    await queueNotifications(
      tx,
      admins.map((a) => ({
        userId: a.id,
        kind: "audit-tamper",
        text: `${summary}. Run npm run audit:verify.`,
        link: "/audit",
        dedupeKey: `checkpoint-refused:${key}:${day}:${a.id}`,
      })),
    );
  }).catch((error) => logError("could not record the refused checkpoint", error));
  throw new AppError("CONFLICT", `${summary}. No checkpoint was signed; run npm run audit:verify.`);
}
