// Prisma CLI configuration. The provider follows DATABASE_URL (file:… → SQLite, postgres… → PostgreSQL),
// and the migration engine is our offline bridge to the WebAssembly schema engine unless
// APILEDGER_NATIVE_SCHEMA_ENGINE=1 (or PRISMA_SCHEMA_ENGINE_BINARY) points the CLI at a native binary.
import path from "node:path";
import { defineConfig } from "prisma/config";
import { databaseUrl, providerOf } from "./lib/db/db-url";

const url = databaseUrl();
const provider = providerOf(url);

if (process.env.APILEDGER_NATIVE_SCHEMA_ENGINE !== "1") {
  process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.resolve(import.meta.dirname, "prisma/schema-engine-bridge.mjs");
}

export default defineConfig({
  schema: `prisma/${provider}/schema.prisma`,
  migrations: { path: `prisma/${provider}/migrations` },
  datasource: {
    url,
    ...(process.env.SHADOW_DATABASE_URL ? { shadowDatabaseUrl: process.env.SHADOW_DATABASE_URL } : {}),
  },
});
