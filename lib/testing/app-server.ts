// A started ApiLedger on a fresh SQLite file or a fresh PostgreSQL database, for suites that attack it
// over HTTP (the hostile-input suite): `npm start`'s own script on a port of the caller's choosing, with
// its own data folder, stopped and removed afterwards. The process itself is lib/testing/app-process.ts
// (the fault suite drives it directly, to kill and restart it).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createTestDatabase } from "@/lib/testing/test-db";
import { AppServer } from "@/lib/testing/app-process";
import type { DbProvider } from "@/lib/db/db-url";

export type StartedApp = {
  provider: DbProvider;
  url: string;
  databaseUrl: string;
  dataDir: string;
  server: AppServer;
  stop: () => Promise<void>;
};

// Every suite calls from one address (127.0.0.1): the per-address limit is lifted unless a suite sets it.
const SUITE_DEFAULTS = { APILEDGER_ADDRESS_RATE_PER_MINUTE: "1000000" };

export async function startAppServer(options: {
  provider: DbProvider;
  port: number;
  env?: Record<string, string>;
}): Promise<StartedApp> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `apiledger-server-${options.provider}-`));
  const database = options.provider === "postgres" ? await createTestDatabase("postgres") : null;
  const databaseUrl = database?.url ?? `file:${path.join(dataDir, "apiledger.db")}`;
  const server = new AppServer(
    options.port,
    {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      DATABASE_URL: databaseUrl,
      APILEDGER_DATA_DIR: dataDir,
      ...SUITE_DEFAULTS,
      ...options.env,
    },
    path.join(dataDir, "server.log"),
  );
  const stop = async () => {
    await server.terminate();
    await database?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await server.start();
  } catch (error) {
    await stop();
    throw error;
  }
  return { provider: options.provider, url: server.url, databaseUrl, dataDir, server, stop };
}
