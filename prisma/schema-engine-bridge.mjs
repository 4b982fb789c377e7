#!/usr/bin/env node
// Offline stand-in for Prisma's native `schema-engine` binary, which the prisma CLI would otherwise
// download (impossible on an air-gapped network). prisma.config.ts points PRISMA_SCHEMA_ENGINE_BINARY here.
// The CLI speaks newline-delimited JSON-RPC 2.0 over stdio; each request is forwarded to
// @prisma/schema-engine-wasm (the same engine compiled to WebAssembly), which reaches the database
// through a JS driver adapter (better-sqlite3 or pg). Set SHIM_DEBUG=1 to see the engine's log.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const send = (message) => process.stdout.write(JSON.stringify(message) + "\n");

const args = process.argv.slice(2);
const datamodels = [];
let datasource = {};
let oneShot = null;
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--datamodels") datamodels.push(args[++i]);
  else if (args[i] === "--datasource") datasource = JSON.parse(args[++i]);
  else if (args[i] === "cli")
    oneShot = args[++i]; // `cli can-connect-to-database | create-database`
  else if (args[i] === "--version" || args[i] === "-V") {
    console.log("schema-engine-cli wasm-bridge");
    process.exit(0);
  }
}
const url = datasource.url ?? process.env.DATABASE_URL ?? "";
const isSqlite = url.startsWith("file:");
// Relative to the working directory, which is the project root when run by the CLI.
const sqlitePath = url.replace(/^file:/, "").replace(/\?.*$/, "");

if (oneShot) await runOneShot(oneShot);

async function runOneShot(command) {
  // On failure the CLI parses the stderr lines after the first one as engine log records.
  const fail = (error_code, message) => {
    process.stderr.write(
      "bridge error\n" +
        JSON.stringify({ level: "ERROR", target: "schema_engine::logger", fields: { error_code, message } }) +
        "\n",
    );
    process.exit(1);
  };
  if (isSqlite) {
    if (command === "can-connect-to-database" && !fs.existsSync(sqlitePath)) {
      fail("P1003", `Database ${sqlitePath} does not exist`);
    }
    if (command === "create-database") {
      fs.mkdirSync(path.dirname(path.resolve(sqlitePath)), { recursive: true });
      new (require("better-sqlite3"))(sqlitePath).close();
    }
    process.exit(0);
  }
  const target = new URL(url);
  const dbName = decodeURIComponent(target.pathname.slice(1)) || "postgres";
  if (command === "create-database") target.pathname = "/postgres";
  const client = new (require("pg").Client)({ connectionString: target.toString() });
  try {
    await client.connect();
    if (command === "create-database") await client.query(`CREATE DATABASE "${dbName.replace(/"/g, '""')}"`);
    await client.end();
    process.exit(0);
  } catch (error) {
    if (error.code === "3D000") fail("P1003", `Database \`${dbName}\` does not exist`);
    fail("P1001", String(error.message));
  }
}

const MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" ("id" TEXT PRIMARY KEY NOT NULL, "checksum" TEXT NOT NULL,
  "finished_at" DATETIME, "migration_name" TEXT NOT NULL, "logs" TEXT, "rolled_back_at" DATETIME,
  "started_at" DATETIME NOT NULL DEFAULT current_timestamp, "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0);`;

// Two quirks of the wasm SQLite connector with the better-sqlite3 adapter.
function patchSqlite(adapter) {
  const queryRaw = adapter.queryRaw.bind(adapter);
  const executeRaw = adapter.executeRaw.bind(adapter);
  // The shadow database receives whole migration scripts through executeRaw, which runs one statement.
  adapter.executeRaw = async (query) => {
    try {
      return await executeRaw(query);
    } catch (error) {
      if (query.args?.length || !String(error?.message).includes("more than one statement")) throw error;
      await adapter.executeScript(query.sql);
      return 0;
    }
  };
  // "no such table: _prisma_migrations" is not recognised as "not initialised yet" (P1014 on first migrate).
  adapter.queryRaw = async (query) => {
    try {
      return await queryRaw(query);
    } catch (error) {
      if (!query.sql.includes("_prisma_migrations") || error?.cause?.kind !== "TableDoesNotExist") throw error;
      await adapter.executeScript(MIGRATIONS_TABLE);
      return queryRaw(query);
    }
  };
  return adapter;
}

let sqliteConnection;
function adapterFactory() {
  if (isSqlite) {
    // Like the native engine, create the database file's folder (a fresh checkout has no .apiledger/).
    fs.mkdirSync(path.dirname(path.resolve(sqlitePath)), { recursive: true });
    const { PrismaBetterSqlite3 } = require("@prisma/adapter-better-sqlite3");
    const factory = new PrismaBetterSqlite3({ url });
    const connect = factory.connect.bind(factory);
    const connectShadow = factory.connectToShadowDb.bind(factory); // an in-memory database
    factory.connect = async () => (sqliteConnection = patchSqlite(await connect()));
    factory.connectToShadowDb = async () => patchSqlite(await connectShadow());
    return factory;
  }
  const { PrismaPg } = require("@prisma/adapter-pg");
  const pgRequire = createRequire(require.resolve("@prisma/adapter-pg"));
  // adapter-pg cannot decode PostgreSQL's internal "char" type (oid 18), which the schema describer reads.
  const Result = pgRequire("pg/lib/result");
  const addFields = Result.prototype.addFields;
  Result.prototype.addFields = function (fields) {
    for (const field of fields) if (field.dataTypeID === 18) field.dataTypeID = 25;
    return addFields.call(this, fields);
  };
  // adapter-pg's own connectToShadowDb ignores the database override when given a connection string (so
  // the "shadow" would be the main database) and drops the database before closing its pool; use our own.
  const pg = require("pg");
  const options = createRequire(require.resolve("pg"))("pg-connection-string").parse(url);
  const factory = new PrismaPg(options);
  factory.connectToShadowDb = async () => {
    if (datasource.shadowDatabaseUrl) {
      // Like the native engine, wipe a configured shadow database before use.
      const adapter = await new PrismaPg({ connectionString: datasource.shadowDatabaseUrl }).connect();
      await adapter.executeScript("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;");
      return adapter;
    }
    const name = `prisma_migrate_shadow_db_${crypto.randomUUID()}`;
    const admin = new pg.Client(options); // needs CREATEDB
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    const shadow = await new PrismaPg({ ...options, database: name }).connect();
    const dispose = shadow.dispose.bind(shadow);
    shadow.dispose = async () => {
      await dispose();
      await admin.query(`DROP DATABASE IF EXISTS "${name}"`);
      await admin.end();
    };
    return shadow;
  };
  return factory;
}

// Load the wasm by hand: the package is ESM and does `import * from "./x.wasm"`, which Node 20 cannot.
const wasmDir = process.env.SCHEMA_ENGINE_WASM_DIR ?? path.dirname(require.resolve("@prisma/schema-engine-wasm"));
const bindings = await import(path.join(wasmDir, "schema_engine_bg.js"));
const { instance } = await WebAssembly.instantiate(fs.readFileSync(path.join(wasmDir, "schema_engine_bg.wasm")), {
  "./schema_engine_bg.js": bindings,
});
bindings.__wbg_set_wasm(instance.exports);
instance.exports.__wbindgen_start?.();
const { bindMigrationAwareSqlAdapterFactory } = require("@prisma/driver-adapter-utils");

const newEngine = () =>
  bindings.SchemaEngine.new(
    { datamodels: datamodels.length ? datamodels.map((file) => [file, fs.readFileSync(file, "utf8")]) : undefined },
    (message) => process.env.SHIM_DEBUG && process.stderr.write(String(message) + "\n"),
    bindMigrationAwareSqlAdapterFactory(adapterFactory()),
  );
let engine = await newEngine();

// The wasm SQLite `reset` only deletes rows; do what the native engine does and recreate the file.
async function resetSqlite() {
  await sqliteConnection?.dispose();
  for (const suffix of ["", "-journal", "-wal", "-shm"]) fs.rmSync(sqlitePath + suffix, { force: true });
  engine = await newEngine();
  return null;
}

async function call(request) {
  const method = request.method === "getDatabaseVersion" ? "version" : request.method;
  if (typeof engine[method] !== "function")
    throw new Error(`${request.method} is not supported by the wasm schema engine`);
  if (method === "reset" && isSqlite) return resetSqlite();
  try {
    return await engine[method](request.params ?? {});
  } catch (error) {
    // evaluateDataLoss/createMigration get no shadow-database factory in the wasm engine, only a cache
    // that devDiagnostic fills; on a miss, fill it and try once more.
    if (!request.params?.migrationsList || !String(error?.message).includes("through an external factory")) throw error;
    await engine.devDiagnostic({ migrationsList: request.params.migrationsList, filters: request.params.filters });
    return engine[method](request.params);
  }
}

readline
  .createInterface({ input: process.stdin })
  .on("line", async (line) => {
    const request = JSON.parse(line);
    if (!request.method) return; // the CLI's reply to one of our `print` requests
    try {
      let result = await call(request);
      if (request.method === "diff" && typeof result?.stdout === "string") {
        // The native engine prints a diff through a `print` request to the CLI.
        if (result.stdout)
          send({ jsonrpc: "2.0", id: `print-${request.id}`, method: "print", params: { content: result.stdout } });
        result = { exitCode: result.exitCode };
      }
      send({ jsonrpc: "2.0", id: request.id, result: result ?? null });
    } catch (error) {
      const message = String(error?.message ?? error);
      send({
        jsonrpc: "2.0",
        id: request.id,
        error: {
          code: 4466,
          message: "An error happened. Check the data field for details.",
          data: {
            is_panic: /panicked at|unreachable/.test(message),
            message,
            error_code: error?.code ?? error?.error_code,
            meta: error?.meta,
          },
        },
      });
    }
  })
  .on("close", () => process.exit(0));
