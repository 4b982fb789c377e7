// Which database to use. One rule for prisma.config.ts (so `npm run db:migrate`), the CLI, `npm start`
// and the app, so migrations and the server can never pick different files.
import path from "node:path";
import { dataDir } from "../runtime/secrets";

export type DbProvider = "sqlite" | "postgres";

/**
 * Without DATABASE_URL: the SQLite file `apiledger.db` in the data directory (APILEDGER_DATA_DIR,
 * default `.apiledger`), as an absolute path so every process resolves it to the same file.
 */
export function defaultDatabaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  return `file:${path.join(dataDir(env), "apiledger.db")}`;
}

export function databaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.DATABASE_URL?.trim() || defaultDatabaseUrl(env);
}

export function providerOf(url: string): DbProvider {
  if (url.startsWith("file:")) return "sqlite";
  if (url.startsWith("postgres://") || url.startsWith("postgresql://")) return "postgres";
  throw new Error(
    `DATABASE_URL must start with file: (SQLite) or postgresql:// (PostgreSQL); got "${url.split(":")[0]}:…"`,
  );
}

/** Path of the SQLite file for a file: URL, relative to the working directory as Prisma resolves it. */
export function sqlitePath(url: string): string {
  return url.replace(/^file:/, "").replace(/\?.*$/, "");
}

/** A PostgreSQL DATABASE_URL as libpq reads it: Prisma's own parameters (schema, connection_limit…) taken out. */
export function libpqUrl(url: string): { url: string } {
  const parsed = new URL(url);
  for (const key of [...parsed.searchParams.keys()])
    if (!["sslmode", "sslrootcert", "sslcert", "sslkey", "application_name", "connect_timeout"].includes(key))
      parsed.searchParams.delete(key);
  return { url: parsed.toString() };
}
