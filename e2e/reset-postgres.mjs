// Recreates the PostgreSQL database the REST API tests run against, so every run starts empty.
import pg from "pg";

const url = new URL(process.env.DATABASE_URL);
const name = url.pathname.slice(1);
if (!/^apiledger_e2e[a-z0-9_]*$/.test(name)) throw new Error(`refusing to reset ${name}: not an e2e database`);
const admin = new URL(url);
admin.pathname = "/postgres";
const client = new pg.Client({ connectionString: admin.toString() });
await client.connect();
await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
await client.query(`CREATE DATABASE "${name}"`);
await client.end();
