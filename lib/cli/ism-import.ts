// npm run ism:import -- <ISM_catalog-YYYY.MM.json> [--dry-run]
// Prints what the release changes relative to the one in use, then imports it (unless --dry-run).
import fs from "node:fs";
import { importIsmCatalog, previewIsmCatalog } from "@/lib/ism/import-ism-catalog";
import { disconnectDb } from "@/lib/db/client";
import { isAppError } from "@/lib/errors";
import type { Actor } from "@/lib/authz/policy";
import { fail, parseFlags } from "@/lib/cli/run";

const args = process.argv.slice(2);
const flags = parseFlags(args);
const file = args.find((a) => !a.startsWith("--"));
if (!file) fail("give the catalog file: npm run ism:import -- ISM_catalog-2025.12.json");
if (!fs.existsSync(file)) fail(`no such file: ${file}`);
const ctx = { actor: { kind: "system", id: null, email: "cli@apiledger" } satisfies Actor, ip: "cli" };
try {
  const bytes = new Uint8Array(fs.readFileSync(file));
  const preview = await previewIsmCatalog(ctx, bytes);
  console.log(`${preview.title} ${preview.release}: ${preview.controlCount} controls`);
  if (preview.alreadyImported) {
    console.log("Already imported; nothing to do.");
  } else {
    if (preview.diff && preview.current) {
      const { added, removed, revised } = preview.diff;
      console.log(
        `Compared with ${preview.current.release}: ${added.length} added, ${removed.length} removed, ${revised.length} revised`,
      );
      for (const c of added) console.log(`  + ${c.controlId}`);
      for (const c of removed) console.log(`  - ${c.controlId}`);
      for (const r of revised) console.log(`  ~ ${r.after.controlId}: ${r.changes.join("; ")}`);
    }
    if (flags["dry-run"]) console.log("Dry run: nothing imported.");
    else {
      const result = await importIsmCatalog(ctx, bytes);
      console.log(
        result.imported
          ? `Imported${result.becomesCurrent ? "; now in use" : " (older than the release in use; kept for reference)"}.`
          : "Nothing changed.",
      );
    }
  }
} catch (error) {
  if (isAppError(error)) fail(error.message);
  throw error;
} finally {
  await disconnectDb();
}
