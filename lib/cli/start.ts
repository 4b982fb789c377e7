// `npm start`: everything a first start needs, then the dashboard on http://localhost:3000.
//  1. secrets (session secret, evidence signing key) generated once into .apiledger/secrets.json
//  2. pending migrations applied to DATABASE_URL (SQLite file by default)
//  3. the demo organisation seeded into an empty database (unless APILEDGER_DEMO=0)
//  4. a production build made if there is none or the sources are newer
//  5. the HTTP server (lib/server/http-server.ts: Next's handler behind the socket-address and
//     trusted-proxy logic), in production mode or, with --dev, Next's development mode
import fs from "node:fs";
import path from "node:path";
import { databaseUrl, providerOf, sqlitePath } from "@/lib/db/db-url";
import { SecretSettingError, loadOrCreateSecrets, nextAuthSecret } from "@/lib/runtime/secrets";
import { retiredPublicKeys, signingKey } from "@/lib/signing/key";
import {
  SqliteFileBusy,
  SqliteFileShared,
  dbWaitSeconds,
  pendingSqliteMigrations,
  sqliteFileOpenElsewhere,
  waitForSqliteFile,
  whileStarting,
} from "@/lib/db/start-lock";
import { ROOT, parseFlags, prisma, runForeground } from "@/lib/cli/run";

const flags = parseFlags(process.argv.slice(2));
const dev = flags.dev === true;
const port = String(flags.port ?? process.env.PORT ?? "3000");
const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", PORT: port };

const url = databaseUrl(env);
const provider = providerOf(url);
if (provider === "sqlite") fs.mkdirSync(path.dirname(path.resolve(ROOT, sqlitePath(url))), { recursive: true });

const { created } = loadOrCreateSecrets(env);
if (created)
  console.log(
    "apiledger: generated secrets in .apiledger/secrets.json (keep this file; it signs sessions and evidence)",
  );
// A key or secret configured wrongly stops the start here, in words, not at the first bundle or sign-in.
try {
  const sessionSecret = nextAuthSecret(env);
  // A secret given as a file stays in the file: the server reads it there (lib/runtime/secrets.ts), and it is
  // not copied into the server's environment, where /proc/<pid>/environ would show it.
  if (!env.NEXTAUTH_SECRET_FILE?.trim()) env.NEXTAUTH_SECRET ||= sessionSecret;
  const key = signingKey(env);
  retiredPublicKeys(env, key.publicKeyPem);
  console.log(`apiledger: signing with the key ${key.fingerprint} (${key.source})`);
} catch (error) {
  if (!(error instanceof SecretSettingError)) throw error;
  console.error(`apiledger: ${(error as Error).message}`);
  process.exit(1);
}
env.NEXTAUTH_URL ||= `http://localhost:${port}`;
env.DATABASE_URL = url;

console.log(`apiledger: applying migrations to the ${provider === "sqlite" ? "SQLite" : "PostgreSQL"} database`);
migrate();

/**
 * `prisma migrate deploy`, after waiting for a SQLite file another process is writing (lib/db/start-lock.ts:
 * the schema engine would fail at once with a cryptic error); a busy file that stays busy is said in words.
 */
function migrate(): void {
  const seconds = dbWaitSeconds(env);
  const file = provider === "sqlite" ? path.resolve(ROOT, sqlitePath(url)) : null;
  const migrations = path.join(ROOT, "prisma/sqlite/migrations");
  for (let attempt = 1; ; attempt++) {
    try {
      if (file) {
        waitForSqliteFile(file, seconds);
        // A second server on a file the first has open: nothing to apply, and the engine could not have the
        // file (it takes it for itself even with nothing to do).
        if (pendingSqliteMigrations(file, migrations, seconds)?.pending.length === 0) {
          console.log("apiledger: the database is up to date (no migration to apply)");
          return;
        }
      }
      prisma(["migrate", "deploy"], env);
      return;
    } catch (error) {
      if (error instanceof SqliteFileBusy) {
        console.error(`apiledger: ${error.message}`);
        process.exit(1);
      }
      if (file) {
        // Read again: another server may have applied them meanwhile.
        const now = (() => {
          try {
            return pendingSqliteMigrations(file, migrations, seconds);
          } catch {
            return null;
          }
        })();
        if (now?.pending.length === 0) {
          console.log("apiledger: the database is up to date (another process applied the migrations)");
          return;
        }
        // Migrations that failed before are Prisma's to report (P3009: prisma migrate resolve).
        if (now && !now.failed.length && sqliteFileOpenElsewhere(file)) {
          console.error(`apiledger: ${new SqliteFileShared(file, now.pending).message}`);
          process.exit(1);
        }
      }
      // The file was free when looked at and taken again before the engine's first write: look again.
      if (!file || attempt === 3) throw error;
      console.error("apiledger: the migrations could not be applied; waiting for the database file and trying again");
    }
  }
}

// Seeding imports the data layer, which reads DATABASE_URL from this process.
process.env.DATABASE_URL = url;
const { seedDemo, isDatabaseEmpty, SYSTEM_ACTOR } = await import("@/prisma/seed");
const { ensureDefaultQuestions } = await import("@/lib/acquisitions/default-questions");
const { disconnectDb } = await import("@/lib/db/client");
// Instances starting at once on one PostgreSQL database take turns here: the first seeds, the rest find it seeded.
await whileStarting(async () => {
  if (await isDatabaseEmpty()) {
    if (env.APILEDGER_DEMO === "0") {
      console.log(
        "apiledger: empty database and APILEDGER_DEMO=0 — create the first admin with: npm run user:create -- --email you@example.com --role ADMIN",
      );
    } else {
      console.log("apiledger: empty database — seeding the demo organisation (set APILEDGER_DEMO=0 to skip)");
      await seedDemo((line) => console.log(`apiledger: ${line}`));
    }
  }
  // Every installation starts with the default acquisition checklist (admins edit it afterwards).
  if (await ensureDefaultQuestions({ actor: SYSTEM_ACTOR, ip: "start" }))
    console.log("apiledger: installed the default acquisition checklist questions");
}, env);
// Evidence exports whose builder stopped (this server, killed) are queued again here and then every half
// minute (the export-lapse-check job), by whichever process sees them first.
const { requeueLapsedExports } = await import("@/lib/evidence/export-jobs");
const lapsed = await requeueLapsedExports();
if (lapsed.requeued + lapsed.failed)
  console.log(
    `apiledger: evidence exports that lost the process building them: ${lapsed.requeued} queued again, ${lapsed.failed} failed`,
  );
// Uploads interrupted by a crash leave temporary files in the blob store; nothing refers to them.
const { removeAbandonedUploads } = await import("@/lib/storage/blob-store");
const abandoned = await removeAbandonedUploads();
if (abandoned) console.log(`apiledger: removed ${abandoned} temporary upload file(s) left by an interrupted upload`);
await disconnectDb();

const next = path.join(ROOT, "node_modules/next/dist/bin/next");
// Without --conditions=react-server: Next's server loads React's server build itself where it needs it.
const httpServer = [
  "--import",
  "tsx",
  path.join(ROOT, "lib/server/http-server.ts"),
  "--port",
  port,
  ...(typeof flags.hostname === "string" ? ["--hostname", flags.hostname] : []),
];
// A wrong APILEDGER_TRUSTED_PROXIES, SIEM, job or blob-store setting is a start-up error, before anything is built or served.
const { parseTrustedProxies } = await import("@/lib/server/source-address");
const { siemTarget, startForwarder } = await import("@/lib/siem/forwarder");
let siem: ReturnType<typeof siemTarget> = null;
const { jobSettings, jobsRunIn } = await import("@/lib/jobs/catalogue");
const { blobStoreKind } = await import("@/lib/storage/blob-store");
const { metricsToken } = await import("@/lib/metrics/metrics-token");
const { logLevel } = await import("@/lib/log/logger");
const { checkSmtpUrl } = await import("@/lib/notifications/mailer");
const { preparedStatementsOn } = await import("@/lib/db/statement-names");
let jobsIn: ReturnType<typeof jobsRunIn> = "server";
try {
  parseTrustedProxies(env.APILEDGER_TRUSTED_PROXIES);
  siem = siemTarget(env);
  jobsIn = jobsRunIn(env);
  jobSettings(env);
  preparedStatementsOn(env);
  logLevel(env);
  checkSmtpUrl(env);
  if (metricsToken(env))
    console.log("apiledger: Prometheus metrics at /metrics, for the bearer of APILEDGER_METRICS_TOKEN");
  console.log(
    {
      postgres: "apiledger: files and bundles are stored in the PostgreSQL database (APILEDGER_BLOB_STORE=postgres)",
      s3: `apiledger: files and bundles are stored in the S3 bucket ${env.APILEDGER_S3_BUCKET?.trim()} at ${env.APILEDGER_S3_ENDPOINT?.trim()} (APILEDGER_BLOB_STORE=s3)`,
      local: "apiledger: files and bundles are stored under the data folder (files/)",
    }[blobStoreKind(env)],
  );
} catch (error) {
  console.error(`apiledger: ${(error as Error).message}`);
  process.exit(1);
}
if (dev) {
  process.exit(await runForeground(process.execPath, [...httpServer, "--dev"], { ...env, NODE_ENV: "development" }));
}

if (needsBuild()) {
  console.log("apiledger: building the dashboard (first start or changed sources)");
  const code = await runForeground(process.execPath, [next, "build"], { ...env, NODE_ENV: "production" });
  if (code !== 0) process.exit(code);
}
console.log(`apiledger: dashboard on http://localhost:${port}`);
// The background jobs (review schedule, e-mail, roll-up, checkpoints…) run in the server itself
// (instrumentation.ts, lib/jobs/runner.ts), or in `npm run worker` with APILEDGER_JOBS=worker.
if (jobsIn === "worker") console.log("apiledger: background jobs are left to `npm run worker` (APILEDGER_JOBS=worker)");
// The audit log to the SIEM (lib/siem/forwarder.ts), by one instance of the installation at a time.
if (siem) {
  startForwarder(siem);
  console.log(
    `apiledger: forwarding the audit log to ${siem.host}:${siem.port} (${siem.relp ? "RELP over " : ""}${siem.transport}, ${siem.format})`,
  );
}
process.exit(await runForeground(process.execPath, httpServer, { ...env, NODE_ENV: "production" }));

function needsBuild(): boolean {
  if (flags.build === true) return true;
  const buildId = path.join(ROOT, ".next/BUILD_ID");
  if (!fs.existsSync(buildId)) return true;
  const built = fs.statSync(buildId).mtimeMs;
  const newer = (p: string): boolean => {
    const full = path.join(ROOT, p);
    if (!fs.existsSync(full)) return false;
    const stat = fs.statSync(full);
    if (stat.isFile()) return stat.mtimeMs > built;
    return fs.readdirSync(full).some((entry) => entry !== "generated" && newer(path.join(p, entry)));
  };
  return [
    "app",
    "components",
    "lib",
    "public",
    "proxy.ts",
    "instrumentation.ts",
    "next.config.ts",
    "package-lock.json",
    "prisma/base.prisma",
  ].some(newer);
}
