import "server-only";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Writable } from "node:stream";
import { authorizedWrite, type WriteContext } from "@/lib/audit/authorized-write";
import type { Tx } from "@/lib/db/client";
import type { Actor } from "@/lib/authz/policy";
import { AppError } from "@/lib/errors";
import { failpoint } from "@/lib/runtime/failpoint";
import { makeCheckpoint } from "@/lib/checkpoints/make-checkpoint";
import type { SignedCheckpoint } from "@/lib/audit/checkpoint-format";
import { CHECKPOINT_SIG_FILE, CHECKPOINT_TEXT_FILE } from "@/lib/evidence/bundle-checkpoint";
import { db } from "@/lib/db/client";
import { blobStore } from "@/lib/storage/blob-store";
import { getCurrentCatalog } from "@/lib/ism/queries";
import { EXPORT_AUDIT_ACTION, prepareExport, scopeTeam } from "@/lib/evidence/prepare-export";
import { csvAndJson, type Table } from "@/lib/evidence/table";
import { openItems, reviewers, signOffs } from "@/lib/evidence/oscal-inputs";
import { inventoryTables } from "@/lib/evidence/inventory-tables";
import { reviewTables } from "@/lib/evidence/review-tables";
import { recordTables } from "@/lib/evidence/record-tables";
import { acceptedRisks, acceptedRisksTable } from "@/lib/evidence/triage-tables";
import { summarise } from "@/lib/evidence/summary";
import { renderIndex, type IndexInput } from "@/lib/evidence/index-html";
import { renderReport } from "@/lib/evidence/report-pdf";
import { assessmentResults, poam, type OscalContext } from "@/lib/evidence/oscal-documents";
import { signingKey } from "@/lib/signing/key";
import { checksumFile, verifyInstructions } from "@/lib/evidence/verify-instructions";
import { ZipWriter } from "@/lib/evidence/zip-writer";
import { deflateToFile } from "@/lib/evidence/deflate-file";
import type { BackgroundTable } from "@/lib/evidence/event-rows";

export const BUNDLE_FORMAT = "apiledger-evidence-bundle/1";
export type ExportProgress = { step: string; done: number; total: number };
export type ExportResult = { manifestSha256: string; sha256: string; files: number; bytes: number; period: string };
export type ExportOptions = {
  now?: Date;
  onProgress?: (p: ExportProgress) => void;
  /** Runs inside the custody entry's transaction (use only `tx`): the caller links its own record to the manifest. */
  onCustody?: (tx: Tx, manifestSha256: string) => Promise<void>;
};

export const REQUESTER_DEACTIVATED = "The requester's account was deactivated while the export ran, so it was stopped.";

/**
 * A bundle is built with its requester's rights, so a person deactivated while it runs must not get it:
 * checked before every step, and inside the custody transaction (through its own `tx`).
 */
async function requireRequesterActive(client: Pick<Tx, "user">, actor: Actor | null): Promise<void> {
  if (actor?.kind !== "user" || !actor.id) return;
  const user = await client.user.findUnique({ where: { id: actor.id }, select: { isActive: true } });
  if (!user?.isActive) throw new AppError("FORBIDDEN", REQUESTER_DEACTIVATED);
}

const APP_VERSION = (
  JSON.parse(fs.readFileSync(path.join(process.cwd(), "package.json"), "utf8")) as { version: string }
).version;

/**
 * Writes an evidence bundle for the scope to `destination` as a ZIP stream: data files (CSV + JSON),
 * the approved documents, OSCAL results and POA&M, index.html, report.pdf, VERIFY.md, the public key,
 * and the signed manifest and checksum list. The export is audited (who, scope, manifest hash) before
 * the archive's last bytes are written, so no bundle leaves without its custody record.
 */
export async function exportEvidenceBundle(
  write: WriteContext,
  rawScope: unknown,
  destination: Writable,
  options: ExportOptions = {},
): Promise<ExportResult> {
  const now = options.now ?? new Date();
  const ctx = await prepareExport(write.actor, rawScope, now);
  const key = signingKey();
  const catalog = await getCurrentCatalog();
  const catalogName = catalog ? `${catalog.title} (${catalog.release})` : null;
  const { tables: records, files: documents } = await recordTables(ctx);
  // The events' files are written from now on, on a worker thread, while the rest of the bundle is built.
  const scratch = makeScratch();
  const background = new Map<string, BackgroundTable>();
  try {
    for (const table of records) if ("background" in table) background.set(table.name, table.background(scratch));
    return await writeBundle({
      write,
      destination,
      options,
      now,
      ctx,
      key,
      catalogName,
      records,
      documents,
      background,
      scratch,
    });
  } finally {
    await Promise.all([...background.values()].map((b) => b.stop()));
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

const SCRATCH_PREFIX = "apiledger-export-";
/** Older than any export: the folder of a process killed mid-export (Ctrl-C on the command, a crash). */
const STALE_SCRATCH_MS = 24 * 3600_000;

/** The export's private scratch folder, after removing those that killed exports left behind. */
function makeScratch(): string {
  const tmp = os.tmpdir();
  for (const name of fs.readdirSync(tmp)) {
    if (!name.startsWith(SCRATCH_PREFIX)) continue;
    const folder = path.join(tmp, name);
    try {
      if (Date.now() - fs.statSync(folder).mtimeMs > STALE_SCRATCH_MS)
        fs.rmSync(folder, { recursive: true, force: true });
    } catch {
      // Removed meanwhile by another export.
    }
  }
  return fs.mkdtempSync(path.join(tmp, SCRATCH_PREFIX));
}

/** What an export has prepared before the archive is written: see exportEvidenceBundle. */
type BundleJob = {
  write: WriteContext;
  destination: Writable;
  options: ExportOptions;
  now: Date;
  ctx: Awaited<ReturnType<typeof prepareExport>>;
  key: ReturnType<typeof signingKey>;
  catalogName: string | null;
  records: Table[];
  documents: Awaited<ReturnType<typeof recordTables>>["files"];
  /** The tables being written on a worker thread, by name. */
  background: Map<string, BackgroundTable>;
  /** A private folder for the files deflated before the archive reaches them. */
  scratch: string;
};

async function writeBundle(job: BundleJob): Promise<ExportResult> {
  const { write, destination, options, now, ctx, key, catalogName, records, documents, background, scratch } = job;
  const { scope } = ctx;
  const { controls, gaps, apis } = await summarise(ctx);
  const accepted = await acceptedRisks(ctx);
  const tables: Table[] = [
    ...(await inventoryTables(ctx)),
    acceptedRisksTable(accepted),
    ...reviewTables(ctx),
    ...records,
  ];
  const exportedBy = write.actor.email;
  const oscal: OscalContext = {
    installation: key.fingerprint,
    appVersion: APP_VERSION,
    dataAsOf: (ctx.auditHead?.at ?? scope.from).toISOString(),
    period: { label: scope.period, from: scope.from.toISOString(), to: scope.to.toISOString() },
    catalog: catalogName,
    controls,
  };

  const zip = new ZipWriter(destination);
  // Steps: each table, the OSCAL documents, index.html with report.pdf, signing.
  const total = tables.length + 3;
  let done = 0;
  const progress = async (step: string) => {
    await requireRequesterActive(db, write.actor);
    options.onProgress?.({ step, done: done++, total });
  };
  // Counted while the JSON file is written; read by index.html and report.pdf, which come after.
  const rows = new Map(tables.map((t) => [t.name, { rows: 0 }]));
  for (const table of tables) {
    if ("background" in table) continue;
    // The JSON twin is deflated into a scratch file while the CSV is deflated into the archive.
    let json: ReturnType<typeof deflateToFile> | null = null;
    zip.add(`data/${table.name}.csv`, async function* () {
      await progress(table.title);
      json = deflateToFile(path.join(scratch, `${table.name}.json.deflated`));
      yield* csvAndJson(table, json, rows.get(table.name)!);
    });
    zip.addDeflated(`data/${table.name}.json`, () => json!.done);
  }
  for (const doc of documents) {
    zip.add(doc.path, () => (doc.body !== null ? [doc.body] : streamBlob(doc.sha256)));
  }
  zip.add("oscal/assessment-results.json", async function* () {
    await progress("OSCAL assessment results");
    yield* assessmentResults(oscal, () => signOffs(ctx), await reviewers(ctx));
  });
  zip.add("oscal/poam.json", async function* () {
    yield poam(oscal, await openItems(ctx), accepted);
  });
  // The tables written in the background come last of the data, so everything above is built while
  // they are written; index.html and report.pdf, which give their row counts, come after them.
  for (const table of tables) {
    const written = "background" in table ? background.get(table.name) : undefined;
    if (!written) continue;
    zip.addDeflated(`data/${table.name}.csv`, async () => {
      await progress(table.title);
      const result = await written.done;
      rows.get(table.name)!.rows = result.rows;
      return result.csv;
    });
    zip.addDeflated(`data/${table.name}.json`, async () => (await written.done).json);
  }
  const indexInput = (): IndexInput => ({
    title: `API access-control evidence — ${scope.period}`,
    period: scope.period,
    from: scope.from.toISOString().slice(0, 10),
    until: new Date(scope.to.getTime() - 1).toISOString().slice(0, 10),
    controls,
    teams: ctx.teamNames,
    apiCount: apis,
    dataAsOf: ctx.auditHead?.at.toISOString() ?? null,
    appVersion: APP_VERSION,
    fingerprint: key.fingerprint,
    auditHead: ctx.auditHead,
    catalog: catalogName,
    gaps,
    sections: tables.map((t) => ({
      name: t.name,
      title: t.title,
      description: t.description,
      rows: rows.get(t.name)!.rows,
    })),
    documents: documents.map((d) => ({ path: d.path, title: d.path.split("/").slice(1).join(" / ") })),
  });
  zip.add("index.html", async function* () {
    await progress("index.html and report.pdf");
    yield renderIndex(indexInput());
  });
  zip.add("report.pdf", async function* () {
    yield await renderReport(indexInput());
  });
  zip.add("VERIFY.md", verifyInstructions(key.fingerprint));
  zip.add("public-key.pem", key.publicKeyPem);

  // A fresh signed checkpoint of the whole audit log, made as the bundle is sealed: an auditor who keeps
  // it can later show that the log was not truncated or rewritten before it (audit:verify --checkpoint).
  let checkpoint: SignedCheckpoint | null = null;
  zip.add(CHECKPOINT_TEXT_FILE, async function* () {
    await progress("Signing");
    checkpoint = await makeCheckpoint("export", undefined, key.fingerprint);
    yield checkpoint!.text;
  });
  zip.add(CHECKPOINT_SIG_FILE, () => [Buffer.from(checkpoint!.signature, "base64")], { compress: false });

  let manifestSha256 = "";
  let manifestBytes: Buffer | null = null;
  zip.add("manifest.json", async function* () {
    const listed = [...zip.files];
    const manifest = {
      format: BUNDLE_FORMAT,
      generator: { name: "ApiLedger", version: APP_VERSION },
      exportedAt: now.toISOString(),
      exportedBy,
      scope: {
        period: scope.period,
        from: scope.from.toISOString(),
        until: scope.to.toISOString(),
        controls: scope.controls,
        teamIds: scope.teamIds,
        apiIds: scope.apiIds,
      },
      auditLog: ctx.auditHead
        ? {
            lastEntrySeq: ctx.auditHead.seq,
            lastEntryHash: ctx.auditHead.hash,
            lastEntryAt: ctx.auditHead.at.toISOString(),
          }
        : null,
      auditCheckpoint: {
        seq: checkpoint!.seq,
        head: checkpoint!.head,
        time: checkpoint!.time.toISOString(),
        text: checkpoint!.text,
        signature: checkpoint!.signature,
        files: [CHECKPOINT_TEXT_FILE, CHECKPOINT_SIG_FILE],
      },
      ismCatalog: catalogName,
      signature: {
        algorithm: "Ed25519",
        publicKey: "public-key.pem",
        fingerprintSha256: key.fingerprint,
        files: ["manifest.json.sig", "SHA256SUMS.sig"],
      },
      files: listed,
    };
    manifestBytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
    manifestSha256 = createHash("sha256").update(manifestBytes).digest("hex");
    // Chain of custody: recorded before the archive can be complete. If this fails the download breaks.
    await authorizedWrite(
      write,
      { permission: "evidence:export", loadTarget: async () => ({ teamId: scopeTeam(scope) }) },
      async (tx, audit) => {
        await requireRequesterActive(tx, write.actor);
        await options.onCustody?.(tx, manifestSha256);
        await audit({
          action: EXPORT_AUDIT_ACTION,
          targetType: "evidence-bundle",
          targetId: manifestSha256,
          summary: `Evidence bundle for ${scope.period} exported (${listed.length} files)`,
          details: { scope: manifest.scope, manifestSha256, files: listed.length, auditLog: manifest.auditLog },
        });
      },
    );
    await failpoint("evidence-export:after-custody");
    yield manifestBytes;
  });
  zip.add("manifest.json.sig", () => [key.sign(manifestBytes!)], { compress: false });
  let sums: Buffer | null = null;
  zip.add("SHA256SUMS", () => {
    sums = Buffer.from(checksumFile(zip.files.filter((f) => f.path !== "manifest.json.sig")));
    return [sums];
  });
  zip.add("SHA256SUMS.sig", () => [key.sign(sums!)], { compress: false });
  await zip.finish();
  options.onProgress?.({ step: "Done", done: total, total });
  return { manifestSha256, sha256: zip.sha256, files: zip.files.length, bytes: zip.bytes, period: scope.period };
}

async function* streamBlob(sha256: string): AsyncIterable<Buffer> {
  for await (const chunk of await blobStore().open(sha256)) yield chunk as Buffer;
}
