// The audit-log checkpoint an evidence bundle carries (see lib/audit/checkpoint-format.ts): the signed
// text as audit-checkpoint.txt, its Ed25519 signature as audit-checkpoint.sig (raw bytes, for OpenSSL),
// and both again in manifest.json under auditCheckpoint. Read without the database, for audit:verify
// --checkpoint and evidence:verify --previous.
import { buffer } from "node:stream/consumers";
import { forEachZipEntry } from "@/lib/evidence/zip-entries";

export const CHECKPOINT_TEXT_FILE = "audit-checkpoint.txt";
export const CHECKPOINT_SIG_FILE = "audit-checkpoint.sig";

export type BundleCheckpoint = { checkpoint: { text: string; signature: string } | null; publicKeyPem: string | null };

const WANTED = new Set(["manifest.json", "public-key.pem"]);

export async function readBundleCheckpoint(file: string): Promise<BundleCheckpoint> {
  const files = new Map<string, Buffer>();
  await forEachZipEntry(file, async (name, stream) => {
    if (WANTED.has(name)) files.set(name, await buffer(stream));
    else for await (const _ of stream); // drained, so the next entry can be read
  });
  const manifest = files.has("manifest.json")
    ? (JSON.parse(files.get("manifest.json")!.toString("utf8")) as {
        auditCheckpoint?: { text?: unknown; signature?: unknown };
      })
    : null;
  const c = manifest?.auditCheckpoint;
  return {
    checkpoint:
      typeof c?.text === "string" && typeof c.signature === "string" ? { text: c.text, signature: c.signature } : null,
    publicKeyPem: files.get("public-key.pem")?.toString("utf8") ?? null,
  };
}

export function isZip(bytes: Buffer): boolean {
  return bytes.length >= 4 && bytes.readUInt32LE(0) === 0x04034b50;
}
