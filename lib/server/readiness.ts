import "server-only";
import fs from "node:fs";
import path from "node:path";
import { db, dbProvider } from "@/lib/db/client";
import { blobStore } from "@/lib/storage/blob-store";

export type Readiness = {
  ready: boolean;
  /** Each check's outcome in words: "ok", or what is wrong (no paths, no driver messages). */
  checks: { database: string; migrations: string; store: string };
};

/** The migrations this build ships for each database, by folder name; read once per process. */
const shipped = new Map<string, string[]>();
function shippedMigrations(): string[] {
  const provider = dbProvider();
  let names = shipped.get(provider);
  if (!names) {
    names = fs
      .readdirSync(path.join(/* turbopackIgnore: true */ process.cwd(), "prisma", provider, "migrations"), {
        withFileTypes: true,
      })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
    shipped.set(provider, names);
  }
  return names;
}
/** Databases found with every shipped migration applied: they stay so (this process's code does not change). */
const migrated = new Set<string>();

/**
 * Whether this instance should be sent requests (GET /api/ready, for load balancers and orchestrators):
 * the database answers, every migration this build ships has been applied (an instance of a newer
 * version started before `npm start` migrated the database is not ready), and the file store accepts a
 * write. /api/health says only that the process is alive.
 */
export function readiness(): Promise<Readiness> {
  // Probes from several balancers share one check a second: each writes and syncs a file.
  const of = `${process.env.DATABASE_URL}\u0000${process.env.APILEDGER_DATA_DIR}`;
  if (!last || last.of !== of || Date.now() - last.at > 1000) last = { of, at: Date.now(), answer: check(3000) };
  return last.answer;
}
let last: { of: string; at: number; answer: Promise<Readiness> } | null = null;

async function check(timeoutMs: number): Promise<Readiness> {
  const checks = { database: "ok", migrations: "ok", store: "ok" };
  const within = <T>(work: Promise<T>) =>
    Promise.race([
      work,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error("timed out")), timeoutMs).unref()),
    ]);
  try {
    await within(db.$queryRawUnsafe("SELECT 1"));
  } catch (error) {
    checks.database =
      (error as Error).message === "timed out" ? `no answer within ${timeoutMs / 1000} s` : "unreachable";
  }
  if (checks.database !== "ok") checks.migrations = "unknown (no database)";
  else if (!migrated.has(process.env.DATABASE_URL ?? "")) {
    try {
      const applied = new Set(
        (
          await within(
            db.$queryRawUnsafe<{ name: string }[]>(
              `SELECT "migration_name" AS "name" FROM "_prisma_migrations" WHERE "finished_at" IS NOT NULL AND "rolled_back_at" IS NULL`,
            ),
          )
        ).map((row) => row.name),
      );
      const pending = shippedMigrations().filter((name) => !applied.has(name));
      if (pending.length)
        checks.migrations = `${pending.length} migration(s) not applied; run npm start or npm run db:migrate`;
      else migrated.add(process.env.DATABASE_URL ?? "");
    } catch {
      checks.migrations = "not applied (no migration history); run npm start or npm run db:migrate";
    }
  }
  try {
    await within(blobStore().checkWritable());
  } catch {
    checks.store = "not writable";
  }
  return { ready: Object.values(checks).every((c) => c === "ok"), checks };
}
