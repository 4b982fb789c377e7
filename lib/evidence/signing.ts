// The installation's evidence-signing key (Ed25519, generated at first start by lib/secrets.ts) and
// the plain-tool checks an auditor runs. Kept free of database code so the offline verifier shares it.
import { createHash, createPublicKey, sign, verify } from "node:crypto";
import { loadOrCreateSecrets } from "@/lib/secrets";

/** SHA-256 of the public key's DER (SubjectPublicKeyInfo), as `openssl pkey -pubin -outform DER | sha256sum` prints it. */
export function keyFingerprint(publicKeyPem: string): string {
  return createHash("sha256").update(createPublicKey(publicKeyPem).export({ type: "spki", format: "der" })).digest("hex");
}

export function signingKey(): { publicKeyPem: string; fingerprint: string; sign: (data: Buffer) => Buffer } {
  const { secrets } = loadOrCreateSecrets();
  return {
    publicKeyPem: secrets.signingPublicKeyPem,
    fingerprint: keyFingerprint(secrets.signingPublicKeyPem),
    sign: (data) => sign(null, data, secrets.signingPrivateKeyPem),
  };
}

export function verifySignature(data: Buffer, signature: Buffer, publicKeyPem: string): boolean {
  try {
    return verify(null, data, publicKeyPem, signature);
  } catch {
    return false;
  }
}

/** `sha256sum -c` input: two spaces between hash and path, one file per line. */
export function checksumFile(files: readonly { path: string; sha256: string }[]): string {
  return files.map((f) => `${f.sha256}  ${f.path}\n`).join("");
}

export function verifyInstructions(fingerprint: string): string {
  return `# How to check this evidence bundle

This bundle was exported from ApiLedger and signed with the installation's Ed25519 key. Checking it takes
two standard tools (OpenSSL 3 and sha256sum, present on any Linux or macOS machine) and no access to
ApiLedger or a network.

1. **Is the key the installation's?** This is the step that matters most: a bundle carries its own
   public key, so anyone who alters a bundle can re-sign it with a key of their own and every other check
   below will still pass. Obtain the installation's key fingerprint **out of band** — from ApiLedger's
   *Evidence* page, read by you or someone you trust, or from a letter from the agency — never from this
   bundle, and compare:

       openssl pkey -pubin -in public-key.pem -outform DER | sha256sum

   The exporting installation's fingerprint is \`${fingerprint}\`; it must equal the one you obtained
   out of band. A bundle signed with any other key proves nothing.

2. **Is the list of files as signed?** Both lists of files are signed; each command must print
   \`Signature Verified Successfully\`:

       openssl pkeyutl -verify -pubin -inkey public-key.pem -rawin -in SHA256SUMS -sigfile SHA256SUMS.sig
       openssl pkeyutl -verify -pubin -inkey public-key.pem -rawin -in manifest.json -sigfile manifest.json.sig

3. **Is every file as listed?** In the unzipped folder:

       sha256sum -c SHA256SUMS

   Every line must end in \`OK\`. SHA256SUMS covers every file, manifest.json included; a changed, missing
   or added byte anywhere shows up as \`FAILED\`.

With ApiLedger installed, \`npm run evidence:verify -- bundle.zip --fingerprint HEX\` does all three steps
on the ZIP, HEX being the fingerprint you obtained out of band; it fails when no trusted key is given (or,
on the installation's own machine, when the key is not the installation's).

Cells of the CSV files that begin with \`=\`, \`+\`, \`-\`, \`@\`, a tab or a carriage return carry a
leading apostrophe so that spreadsheet programs show them as text instead of running them as formulas;
the JSON file of the same name holds the original values.

manifest.json also names the last audit-log entry the bundle reflects (its sequence number and hash):
ApiLedger's \`npm run audit:verify\` shows that the live log still contains that entry unchanged.
`;
}
