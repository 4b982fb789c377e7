// Signed checkpoints of the audit log, as Certificate Transparency's signed tree heads: the installation
// signs "the log had N entries and this head hash at this time", and copies of that statement are kept
// where whoever controls the database cannot rewrite them. A later log that lost entry N, or holds a
// different hash there, contradicts a checkpoint it cannot forge. Pure functions (no database), shared by
// the writer, audit:verify and the offline bundle verifier.
//
// The signed text, exactly (ASCII, one line, ending in one LF):
//
//   apiledger-audit-checkpoint/1 installation=<64 hex> seq=<decimal> head=<64 hex> time=<ISO 8601 UTC, ms>\n
//
// `installation` is the SHA-256 fingerprint of the signing key (as evidence bundles print it), `seq` and
// `head` the sequence number and hash of the audit entry the checkpoint covers (every entry up to it is
// fixed by the hash chain), `time` when it was signed. The signature is Ed25519 over those bytes. The
// text starts with a fixed tag that is neither JSON nor a checksum line, so a checkpoint signature can
// never be passed off as the signature of a bundle's manifest or SHA256SUMS (same key), or vice versa.
//
// One checkpoint per line in files and syslog: the signed text without its LF, a space, `sig=` and the
// signature in standard base64. To check one with OpenSSL, put the part before " sig=" plus an LF in a
// file and the base64-decoded signature in another (VERIFY.md in every evidence bundle shows how).
import { verify } from "node:crypto";
import { keyFingerprint, type RetiredKeyLimit } from "@/lib/signing/key";

export const CHECKPOINT_TAG = "apiledger-audit-checkpoint/1";

export type Checkpoint = { installation: string; seq: number; head: string; time: Date };
export type SignedCheckpoint = Checkpoint & { text: string; signature: string };

const TEXT =
  /^apiledger-audit-checkpoint\/1 installation=([0-9a-f]{64}) seq=(0|[1-9][0-9]{0,15}) head=([0-9a-f]{64}) time=(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)\n$/;
const LINE = /^(apiledger-audit-checkpoint\/1 [^\n]*?) sig=([A-Za-z0-9+/]+={0,2})$/;

export function checkpointText(c: Checkpoint): string {
  return `${CHECKPOINT_TAG} installation=${c.installation} seq=${c.seq} head=${c.head} time=${c.time.toISOString()}\n`;
}

export function signCheckpoint(c: Checkpoint, sign: (data: Buffer) => Buffer): SignedCheckpoint {
  const text = checkpointText(c);
  return { ...c, text, signature: sign(Buffer.from(text)).toString("base64") };
}

/** The checkpoint a signed text states, or null when the text is not exactly in the canonical form. */
export function parseCheckpointText(text: string): Checkpoint | null {
  const m = TEXT.exec(text);
  if (!m) return null;
  const c = { installation: m[1]!, seq: Number(m[2]), head: m[3]!, time: new Date(m[4]!) };
  // Canonical means one spelling per checkpoint: re-serialising must give the same bytes.
  return checkpointText(c) === text ? c : null;
}

export function checkpointLine(c: Pick<SignedCheckpoint, "text" | "signature">): string {
  return `${c.text.slice(0, -1)} sig=${c.signature}`;
}

/** A line of a checkpoint file (or a syslog message's text), or null when it is not one. */
export function parseCheckpointLine(line: string): { text: string; signature: string } | null {
  const m = LINE.exec(line.trim());
  return m ? { text: `${m[1]}\n`, signature: m[2]! } : null;
}

export type CheckedCheckpoint =
  | { ok: true; checkpoint: SignedCheckpoint }
  /** revoked: signed by a key the installation revoked, so set aside rather than held against the log. */
  | { ok: false; problem: string; revoked?: true };

/**
 * A checkpoint is believed only when its text is canonical, it names a trusted key as its installation,
 * and that key's signature verifies. `trusted` are public keys (PEM) the verifier trusts.
 */
export function checkCheckpoint(
  signed: { text: string; signature: string },
  trusted: readonly string[],
  /** What limits retired keys, by fingerprint (lib/signing/key.ts retiredKeyLimits). */
  limits: ReadonlyMap<string, RetiredKeyLimit> = new Map(),
): CheckedCheckpoint {
  const c = parseCheckpointText(signed.text);
  if (!c) return { ok: false, problem: "it is not a checkpoint in the canonical form" };
  const revoked = limits.get(c.installation)?.revoked;
  if (revoked)
    return { ok: false, revoked: true, problem: `it names the key ${c.installation}, which was revoked (${revoked})` };
  const key = trusted.find((pem) => keyFingerprint(pem) === c.installation);
  if (!key) return { ok: false, problem: `it names the key ${c.installation}, which is not a key you trust` };
  let valid: boolean;
  try {
    valid = verify(null, Buffer.from(signed.text), key, Buffer.from(signed.signature, "base64"));
  } catch {
    valid = false;
  }
  if (!valid)
    return { ok: false, problem: "its signature does not verify (it was altered, or signed with another key)" };
  const last = limits.get(c.installation)?.lastEntry ?? null;
  if (last !== null && c.seq > last)
    return {
      ok: false,
      problem: `it covers entries up to ${c.seq}, but its key ${c.installation} was retired after entry ${last}: a checkpoint it signs past that was made with a retired key`,
    };
  return { ok: true, checkpoint: { ...c, ...signed } };
}
