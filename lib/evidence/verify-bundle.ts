// Checks an evidence bundle ZIP without the database or the app's server: both signatures against the
// bundle's public key (or a key the auditor trusts), every file against the signed manifest and the
// signed checksum list, and nothing in the archive that neither lists.
//
// Security assumption: a bundle carries its own public key, so signatures that verify prove only that
// whoever holds *that* key made the bundle — anyone can delete rows, fix the checksums and re-sign with a
// key of their own. A bundle is therefore never reported as verified unless its key is one the verifier
// trusts from elsewhere: a key file, or a fingerprint obtained out of band (the Evidence page, a letter).
import { createHash } from "node:crypto";
import { keyFingerprint, verifySignature } from "@/lib/signing/key";
import { forEachZipEntry } from "@/lib/evidence/zip-entries";
import { checkCheckpoint, type SignedCheckpoint } from "@/lib/audit/checkpoint-format";
import { CHECKPOINT_SIG_FILE, CHECKPOINT_TEXT_FILE } from "@/lib/evidence/bundle-checkpoint";

export type VerifyReport = {
  /** Intact and signed by a trusted key. */
  ok: boolean;
  /** The fingerprint of the key that signed the bundle (its public-key.pem, or the trusted key file). */
  fingerprint: string | null;
  files: number;
  problems: string[];
  manifest: Record<string, unknown> | null;
  /** The signed audit-log checkpoint the bundle carries (bundles before checkpoints have none). */
  checkpoint: SignedCheckpoint | null;
};

/** What the verifier trusts: a public key (PEM), a SHA-256 key fingerprint, or both (both must match). */
export type TrustAnchor = { publicKeyPem?: string; fingerprint?: string };

/** A fingerprint as people copy it: any case, with or without colons or spaces. */
export function normaliseFingerprint(value: string): string {
  return value.toLowerCase().replace(/[\s:]/g, "");
}

export const NO_TRUSTED_KEY =
  "No trusted key was given, so the bundle proves nothing: anyone can re-sign an altered bundle with a key of their own. Get the installation's key fingerprint out of band (ApiLedger's Evidence page, or a letter from the agency) and run again with --fingerprint HEX (or --public-key FILE).";

const SMALL = new Set([
  "manifest.json",
  "manifest.json.sig",
  "SHA256SUMS",
  "SHA256SUMS.sig",
  "public-key.pem",
  CHECKPOINT_TEXT_FILE,
  CHECKPOINT_SIG_FILE,
]);
const REQUIRED = ["manifest.json", "manifest.json.sig", "SHA256SUMS", "SHA256SUMS.sig", "public-key.pem"];
const UNLISTED = new Set(["manifest.json.sig", "SHA256SUMS", "SHA256SUMS.sig"]);

type Entry = { size: number; sha256: string; bytes?: Buffer };

export async function verifyBundle(file: string, options: TrustAnchor = {}): Promise<VerifyReport> {
  const problems: string[] = [];
  let entries: Map<string, Entry>;
  try {
    entries = await readEntries(file);
  } catch (error) {
    return {
      ok: false,
      fingerprint: null,
      files: 0,
      problems: [`The file is not a readable ZIP archive: ${(error as Error).message}`],
      manifest: null,
      checkpoint: null,
    };
  }
  const bytes = (name: string) => entries.get(name)?.bytes;
  for (const name of REQUIRED) if (!entries.has(name)) problems.push(`${name} is missing.`);
  const keyPem = options.publicKeyPem ?? bytes("public-key.pem")?.toString("utf8");
  let fingerprint: string | null = null;
  try {
    if (keyPem) fingerprint = keyFingerprint(keyPem);
  } catch {
    problems.push("public-key.pem is not a public key.");
  }
  problems.push(...trustProblems(options, bytes("public-key.pem")?.toString("utf8") ?? null, fingerprint));
  const check = (name: string, sig: string) => {
    const data = bytes(name);
    const signature = bytes(sig);
    if (data && signature && keyPem && fingerprint && !verifySignature(data, signature, keyPem))
      problems.push(
        `The signature on ${name} does not verify: it was changed after signing, or signed with another key.`,
      );
  };
  check("manifest.json", "manifest.json.sig");
  check("SHA256SUMS", "SHA256SUMS.sig");

  let manifest: Record<string, unknown> | null = null;
  const listed = new Map<string, { size: number; sha256: string }>();
  try {
    manifest = bytes("manifest.json")
      ? (JSON.parse(bytes("manifest.json")!.toString("utf8")) as Record<string, unknown>)
      : null;
    for (const f of (manifest?.files ?? []) as { path: string; size: number; sha256: string }[]) listed.set(f.path, f);
  } catch {
    problems.push("manifest.json is not valid JSON.");
  }
  for (const [name, want] of listed) {
    const got = entries.get(name);
    if (!got) problems.push(`${name} is listed in the manifest but not in the archive.`);
    else if (got.sha256 !== want.sha256 || got.size !== want.size)
      problems.push(`${name} does not match the manifest (SHA-256 ${got.sha256}, expected ${want.sha256}).`);
  }
  for (const name of entries.keys()) {
    if (!listed.has(name) && !UNLISTED.has(name) && name !== "manifest.json")
      problems.push(`${name} is in the archive but not in the manifest.`);
  }
  const sums = bytes("SHA256SUMS")?.toString("utf8") ?? "";
  const summed = new Set<string>();
  for (const line of sums.split("\n").filter(Boolean)) {
    const match = /^([0-9a-f]{64}) {2}(.+)$/.exec(line);
    if (!match) {
      problems.push(`SHA256SUMS has a malformed line: ${line.slice(0, 80)}`);
      continue;
    }
    summed.add(match[2]!);
    const got = entries.get(match[2]!);
    if (!got) problems.push(`${match[2]} is listed in SHA256SUMS but not in the archive.`);
    else if (got.sha256 !== match[1]) problems.push(`${match[2]} does not match SHA256SUMS.`);
  }
  for (const name of [...listed.keys(), "manifest.json"])
    if (sums && !summed.has(name)) problems.push(`${name} is not covered by SHA256SUMS.`);
  const checkpoint = checkBundleCheckpoint(manifest, keyPem && fingerprint ? keyPem : null, bytes, problems);
  return { ok: problems.length === 0, fingerprint, files: entries.size, problems, manifest, checkpoint };
}

/** The manifest's checkpoint, signed by the bundle's key and the same as the two files that carry it. */
function checkBundleCheckpoint(
  manifest: Record<string, unknown> | null,
  keyPem: string | null,
  bytes: (name: string) => Buffer | undefined,
  problems: string[],
): SignedCheckpoint | null {
  const c = manifest?.auditCheckpoint as { text?: unknown; signature?: unknown } | undefined;
  if (!c) return null;
  if (typeof c.text !== "string" || typeof c.signature !== "string") {
    problems.push("manifest.json has an auditCheckpoint without its text and signature.");
    return null;
  }
  if (bytes(CHECKPOINT_TEXT_FILE)?.toString("utf8") !== c.text)
    problems.push(`${CHECKPOINT_TEXT_FILE} is not the checkpoint manifest.json names.`);
  if (!bytes(CHECKPOINT_SIG_FILE)?.equals(Buffer.from(c.signature, "base64")))
    problems.push(`${CHECKPOINT_SIG_FILE} is not the signature manifest.json names.`);
  if (!keyPem) return null;
  const checked = checkCheckpoint({ text: c.text, signature: c.signature }, [keyPem]);
  if (!checked.ok) {
    problems.push(`The audit-log checkpoint cannot be trusted: ${checked.problem}.`);
    return null;
  }
  return checked.checkpoint;
}

/** Why the signing key is not one the verifier trusts (empty when it is). */
function trustProblems(trust: TrustAnchor, bundleKeyPem: string | null, signer: string | null): string[] {
  if (!trust.publicKeyPem && !trust.fingerprint) return [NO_TRUSTED_KEY];
  const problems: string[] = [];
  let bundleKey: string | null = null;
  try {
    bundleKey = bundleKeyPem ? keyFingerprint(bundleKeyPem) : null;
  } catch {
    // reported above as "not a public key"
  }
  if (trust.publicKeyPem && bundleKey !== signer)
    problems.push("The bundle's public-key.pem is not the key you trust.");
  if (trust.fingerprint && normaliseFingerprint(trust.fingerprint) !== signer) {
    problems.push(
      `The bundle was signed with the key ${signer ?? "(none)"}, not with the key whose fingerprint you gave (${normaliseFingerprint(trust.fingerprint)}).`,
    );
  }
  return problems;
}

async function readEntries(file: string): Promise<Map<string, Entry>> {
  const entries = new Map<string, Entry>();
  await forEachZipEntry(file, async (name, stream) => {
    const hash = createHash("sha256");
    const kept: Buffer[] = [];
    let size = 0;
    for await (const chunk of stream) {
      hash.update(chunk as Buffer);
      size += (chunk as Buffer).length;
      if (SMALL.has(name)) kept.push(chunk as Buffer);
    }
    entries.set(name, { size, sha256: hash.digest("hex"), ...(SMALL.has(name) ? { bytes: Buffer.concat(kept) } : {}) });
  });
  return entries;
}
