// What an evidence bundle carries for the plain-tool checks an auditor runs (the key itself is
// lib/signing/key.ts). Kept free of database code so the offline verifier shares it.

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

manifest.json also names the last audit-log entry the bundle's data reflects (its sequence number and hash).

## The audit-log checkpoint: was the log cut back or rewritten later?

A hash chain shows an entry changed in place, but not that its last entries were deleted, or that the
whole log from some entry on was rewritten with fresh hashes. For that the installation signs
*checkpoints*, as Certificate Transparency does: \`audit-checkpoint.txt\` is one line stating the signing
key's fingerprint, the number and hash of the audit log's last entry, and the time it was signed, when
this bundle was sealed; \`audit-checkpoint.sig\` is its Ed25519 signature by the same key:

    openssl pkeyutl -verify -pubin -inkey public-key.pem -rawin -in audit-checkpoint.txt -sigfile audit-checkpoint.sig

must print \`Signature Verified Successfully\` (the same checkpoint is in manifest.json, \`auditCheckpoint\`).
Nobody without the installation's private key can make a checkpoint, and no later change to the
database can unmake one. So **keep every bundle you receive** (or at least its two checkpoint files):

- **Between two bundles, offline:** \`npm run evidence:verify -- newer.zip --previous older.zip
  --fingerprint HEX\` fails when the newer checkpoint covers fewer entries than the older one, a
  different entry under the same number, or when the newer bundle's \`data/audit-log.*\` holds another
  entry where the older checkpoint was signed, or links across it. By hand: the \`seq=\` of the newer
  \`audit-checkpoint.txt\` must not be smaller than the older one's, and if the newer
  \`data/audit-log.csv\` has a row with the older checkpoint's \`seq\`, its \`hash\` must be the older
  \`head\`.
- **Against the live log:** ask the operator to run, while you watch,
  \`npm run audit:verify -- --checkpoint older.zip --checkpoint newer.zip --fingerprint HEX\`. It checks every
  entry of the log and fails if the log lost or changed any entry a checkpoint covers. The installation
  also keeps its checkpoints in the database, in an append-only file and, where configured, in the
  organisation's syslog/SIEM; a copy you hold yourself is the one nobody at the agency can change.

Entries written after the latest checkpoint are covered by the next one (at the installation's checkpoint
interval, an hour by default, or with the next bundle); that is the window in which deleting the newest
entries cannot be detected.
`;
}
