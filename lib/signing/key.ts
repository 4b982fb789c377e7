// The installation's signing key (Ed25519): it signs evidence bundles (lib/evidence) and audit-log
// checkpoints (lib/checkpoints). Kept free of database code so the offline verifiers share it.
//
// Where the key comes from, first found wins:
//  1. APILEDGER_SIGNING_KEY_FILE — a PKCS#8 PEM file (`openssl genpkey -algorithm ed25519`), for a cluster
//     whose instances must all sign with one key (a mounted secret);
//  2. APILEDGER_SIGNING_KEY — the same PEM in the environment;
//  3. the key generated at first start into <data dir>/secrets.json (lib/runtime/secrets.ts).
// Rotation keeps the public halves of earlier keys — APILEDGER_SIGNING_RETIRED_KEYS_FILE (public-key PEM
// blocks, one after another), the list `npm run signing-key:rotate` keeps in secrets.json, and the secrets
// file's own key once another is configured — so bundles and checkpoints signed before still verify and
// are listed on the Evidence page.
import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from "node:crypto";
import { SecretSettingError, loadOrCreateSecrets, readSecrets, readSettingFile } from "@/lib/runtime/secrets";

/** SHA-256 of the public key's DER (SubjectPublicKeyInfo), as `openssl pkey -pubin -outform DER | sha256sum` prints it. */
export function keyFingerprint(publicKeyPem: string): string {
  return createHash("sha256")
    .update(createPublicKey(publicKeyPem).export({ type: "spki", format: "der" }))
    .digest("hex");
}

export type SigningKey = {
  publicKeyPem: string;
  fingerprint: string;
  /** Where the key was read from: a setting's name, or "secrets file". */
  source: string;
  sign: (data: Buffer) => Buffer;
};

const MAKE_ONE = "make one with `openssl genpkey -algorithm ed25519 -out signing-key.pem`";

function ed25519Private(pem: string, setting: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw new SecretSettingError(`${setting} is not an unencrypted PEM private key; ${MAKE_ONE}.`);
  }
  if (key.asymmetricKeyType !== "ed25519")
    throw new SecretSettingError(
      `${setting} holds an ${key.asymmetricKeyType ?? "unknown"} key, not Ed25519; ${MAKE_ONE}.`,
    );
  return key;
}

function fromKeyObject(key: KeyObject, source: string): SigningKey {
  const publicKeyPem = createPublicKey(key).export({ type: "spki", format: "pem" }).toString();
  return { publicKeyPem, fingerprint: keyFingerprint(publicKeyPem), source, sign: (data) => sign(null, data, key) };
}

/** The key an operator configured (file or environment), or null when the secrets file's is used. */
function configuredKey(env: NodeJS.ProcessEnv): SigningKey | null {
  const file = env.APILEDGER_SIGNING_KEY_FILE?.trim();
  if (file) {
    const pem = readSettingFile("APILEDGER_SIGNING_KEY_FILE", file);
    return fromKeyObject(ed25519Private(pem, `APILEDGER_SIGNING_KEY_FILE (${file})`), "APILEDGER_SIGNING_KEY_FILE");
  }
  // systemd's EnvironmentFile and many secret stores keep a value on one line, with "\n" for its breaks.
  const text = env.APILEDGER_SIGNING_KEY?.trim().replace(/\\n/g, "\n");
  if (text) return fromKeyObject(ed25519Private(text, "APILEDGER_SIGNING_KEY"), "APILEDGER_SIGNING_KEY");
  return null;
}

const storedKey = (secrets: { signingPrivateKeyPem: string }) =>
  fromKeyObject(ed25519Private(secrets.signingPrivateKeyPem, "the secrets file"), "secrets file");

/** The key this instance signs with (generating the secrets file at a first start without one configured). */
export function signingKey(env: NodeJS.ProcessEnv = process.env): SigningKey {
  const configured = configuredKey(env);
  if (configured) return configured;
  return storedKey(loadOrCreateSecrets(env).secrets);
}

const PUBLIC_PEM = /-----BEGIN PUBLIC KEY-----[\s\S]*?-----END PUBLIC KEY-----/g;

/**
 * What limits an earlier key: the last audit entry it may vouch for (a checkpoint or bundle it signed for
 * entries past that was made after it was retired: with a stolen key, or by a process that kept it), or
 * revoked (nothing it signed is trusted: it leaked).
 */
export type RetiredKeyLimit = { lastEntry: number | null; revoked: string | null };

type RetiredKeys = { pems: string[]; limits: Map<string, RetiredKeyLimit> };

/**
 * The retired-keys file's blocks with the lines written directly above each (explanatory text, which PEM
 * allows): `ApiLedger-Last-Entry: N` and `ApiLedger-Revoked: why`. Read strictly, since a limit quietly
 * dropped would leave a key trusted: any line starting "ApiLedger-" must be one of the two, well formed,
 * once per block, and above a block.
 */
function retiredKeysFile(env: NodeJS.ProcessEnv): { pem: string; limit: RetiredKeyLimit }[] {
  const file = env.APILEDGER_SIGNING_RETIRED_KEYS_FILE?.trim();
  if (!file) return [];
  const text = readSettingFile("APILEDGER_SIGNING_RETIRED_KEYS_FILE", file).replace(/^\uFEFF/, "");
  const refuse = (why: string): never => {
    throw new SecretSettingError(`APILEDGER_SIGNING_RETIRED_KEYS_FILE (${file}): ${why}`);
  };
  const annotations = (above: string): RetiredKeyLimit => {
    const limit: RetiredKeyLimit = { lastEntry: null, revoked: null };
    let sawLast = false;
    for (const raw of above.split("\n")) {
      const line = raw.trim();
      if (!/^apiledger-/i.test(line)) continue;
      const m = /^ApiLedger-(Last-Entry|Revoked):[ \t]*(.*)$/.exec(line);
      if (!m)
        refuse(
          `"${line.slice(0, 40)}" is not an annotation this version reads (ApiLedger-Last-Entry: N, ApiLedger-Revoked: why).`,
        );
      if (m![1] === "Last-Entry") {
        if (sawLast) refuse("a key block has two ApiLedger-Last-Entry lines above it.");
        if (!/^(0|[1-9][0-9]{0,15})$/.test(m![2]!))
          refuse(`"ApiLedger-Last-Entry:" must be followed by an audit entry's number and nothing else.`);
        sawLast = true;
        limit.lastEntry = Number(m![2]);
      } else {
        if (limit.revoked) refuse("a key block has two ApiLedger-Revoked lines above it.");
        limit.revoked =
          m![2]!
            .replace(/[^\x20-\x7e]/g, "")
            .trim()
            .slice(0, 200) || "revoked";
      }
    }
    return limit;
  };
  const blocks: { pem: string; limit: RetiredKeyLimit }[] = [];
  let from = 0;
  for (const match of text.matchAll(PUBLIC_PEM)) {
    blocks.push({ pem: match[0], limit: annotations(text.slice(from, match.index)) });
    from = match.index + match[0].length;
  }
  if (!blocks.length)
    refuse(`it holds no "BEGIN PUBLIC KEY" block; add each earlier key's \`openssl pkey -in old.pem -pubout\`.`);
  if (/^[ \t]*apiledger-/im.test(text.slice(from)))
    refuse("an ApiLedger- line comes after the last key block; write it directly above the block it is for.");
  return blocks;
}

function readRetiredKeys(env: NodeJS.ProcessEnv, current?: string): RetiredKeys {
  const stored = readSecrets(env);
  const configured = Boolean(env.APILEDGER_SIGNING_KEY_FILE?.trim() || env.APILEDGER_SIGNING_KEY?.trim());
  // Once a key is configured, the one the secrets file holds is an earlier key of this installation too
  // (a single box that became a cluster): what it signed still verifies.
  const pems: string[] = [
    ...(stored?.retiredSigningPublicKeys ?? []),
    ...(configured && stored ? [stored.signingPublicKeyPem] : []),
  ];
  const limits = new Map<string, RetiredKeyLimit>();
  const limit = (fingerprint: string, lastEntry: number | null, revoked: string | null) => {
    const had = limits.get(fingerprint);
    // The stricter of what the sources say: the lower last entry, and revoked if any says so.
    const lower = had?.lastEntry ?? null;
    limits.set(fingerprint, {
      lastEntry: lastEntry === null ? lower : lower === null ? lastEntry : Math.min(lower, lastEntry),
      revoked: had?.revoked ?? revoked,
    });
  };
  for (const [fingerprint, lastEntry] of Object.entries(stored?.retiredSigningKeyLastEntries ?? {}))
    limit(fingerprint, lastEntry, null);
  // Each block's own annotations, in the order of `pems` (a key listed twice keeps both blocks' limits).
  const annotated: (RetiredKeyLimit | undefined)[] = pems.map(() => undefined);
  for (const block of retiredKeysFile(env)) {
    pems.push(block.pem);
    annotated.push(block.limit);
  }
  const seen = new Set(current ? [keyFingerprint(current)] : []);
  const retired: string[] = [];
  const checked: { pem: string; fingerprint: string }[] = [];
  for (const [i, pem] of pems.entries()) {
    let key: KeyObject;
    try {
      key = createPublicKey(pem);
    } catch {
      throw new SecretSettingError(`A retired signing key is not a PEM public key: ${pem.slice(0, 60)}…`);
    }
    if (key.asymmetricKeyType !== "ed25519")
      throw new SecretSettingError(`A retired signing key is ${key.asymmetricKeyType ?? "unknown"}, not Ed25519.`);
    const fingerprint = keyFingerprint(pem);
    const note = annotated[i];
    if (note && (note.lastEntry !== null || note.revoked)) limit(fingerprint, note.lastEntry, note.revoked);
    checked.push({ pem, fingerprint });
  }
  for (const { pem, fingerprint } of checked) {
    if (seen.has(fingerprint)) continue;
    seen.add(fingerprint);
    // A revoked key is trusted for nothing: it is not among the keys verifiers use.
    if (limits.get(fingerprint)?.revoked) continue;
    retired.push(`${pem.trim()}\n`);
  }
  return { pems: retired, limits };
}

/** The public halves of earlier keys, each once, without the current one and without revoked ones. */
export function retiredPublicKeys(env: NodeJS.ProcessEnv = process.env, current?: string): string[] {
  return readRetiredKeys(env, current).pems;
}

/** What limits each earlier key, by fingerprint (keys without a limit are not listed). */
export function retiredKeyLimits(env: NodeJS.ProcessEnv = process.env): ReadonlyMap<string, RetiredKeyLimit> {
  return readRetiredKeys(env).limits;
}

/**
 * Every public key this installation signs or signed with — the current one first — read without
 * creating anything (the verifiers run on a machine that may hold no installation).
 */
export function installationPublicKeys(env: NodeJS.ProcessEnv = process.env): string[] {
  const configured = configuredKey(env);
  const stored = readSecrets(env);
  const current = configured?.publicKeyPem ?? (stored ? storedKey(stored).publicKeyPem : null);
  return [...(current ? [current] : []), ...retiredPublicKeys(env, current ?? undefined)];
}

export function verifySignature(data: Buffer, signature: Buffer, publicKeyPem: string): boolean {
  try {
    return verify(null, data, publicKeyPem, signature);
  } catch {
    return false;
  }
}
