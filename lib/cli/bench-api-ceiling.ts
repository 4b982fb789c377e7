// The ceiling for `npm run bench:api`'s REST load: a bare node:http server answering
// GET /api/v1/apis?limit=50&sort=-updatedAt from the same database with the driver alone — the bearer
// token looked up by its SHA-256 with its user, the same page of rows with the same team and owner joins,
// JSON out. No framework, no policy, no rate limits, no call log: what one Node process on this machine
// can serve for that page. Run as its own process (like the app) so the two compete for the same cores:
//   node --import tsx lib/cli/bench-api-ceiling.ts --port N   (DATABASE_URL from the environment)
import http from "node:http";
import { createHash } from "node:crypto";
import Database from "better-sqlite3";
import pg from "pg";
import { parseFlags } from "@/lib/cli/run";
import { providerOf, sqlitePath } from "@/lib/db/db-url";

const flags = parseFlags(process.argv.slice(2));
const port = Number(flags.port ?? 3301);
const url = process.env.DATABASE_URL ?? "";
const quoted = (provider: "sqlite" | "postgres", name: string) => (provider === "postgres" ? `"${name}"` : name);

const COLUMNS = [
  "id",
  "name",
  "purpose",
  "businessFunction",
  "lifecycle",
  "environments",
  "exposure",
  "partnerLinkPrivate",
  "readsNonPublic",
  "modifiesData",
  "sensitivity",
  "dataCategories",
  "authMethods",
  "authzModel",
  "authzRoles",
  "centrallyLogged",
  "loggingDestination",
  "docsUrl",
  "repoUrl",
  "openapiUrl",
  "tags",
  "createdAt",
  "updatedAt",
  "ism1818",
  "ism2013",
  "ism1817",
  "ism2014",
  "ism1910",
  "ism2015",
  "hasWarning",
];

const provider = providerOf(url);
const q = (name: string) => quoted(provider, name);
const pageSql = (placeholder: string) =>
  `SELECT ${COLUMNS.map((c) => `a.${q(c)}`).join(", ")}, t.${q("id")} AS ${q("teamId")}, t.${q("name")} AS ${q("teamName")},
     u.${q("id")} AS ${q("ownerId")}, u.${q("name")} AS ${q("ownerName")}, u.${q("email")} AS ${q("ownerEmail")}
   FROM ${q("Api")} a JOIN ${q("Team")} t ON t.${q("id")} = a.${q("teamId")}
   LEFT JOIN ${q("User")} u ON u.${q("id")} = a.${q("ownerId")}
   WHERE a.${q("deletedAt")} IS NULL ORDER BY a.${q("updatedAt")} DESC, a.${q("id")} DESC LIMIT ${placeholder}`;
const tokenSql = (placeholder: string) =>
  `SELECT k.${q("id")}, k.${q("expiresAt")}, k.${q("revokedAt")}, u.${q("id")} AS ${q("userId")}, u.${q("role")}, u.${q("isActive")}
   FROM ${q("ApiToken")} k JOIN ${q("User")} u ON u.${q("id")} = k.${q("userId")} WHERE k.${q("tokenHash")} = ${placeholder}`;

type Row = Record<string, unknown>;
let lookup: (hash: string) => Promise<Row | undefined>;
let page: (limit: number) => Promise<Row[]>;
if (provider === "sqlite") {
  const sqlite = new Database(sqlitePath(url), { readonly: true });
  sqlite.pragma("journal_mode = WAL");
  const token = sqlite.prepare(tokenSql("?"));
  const rows = sqlite.prepare(pageSql("?"));
  lookup = async (hash) => token.get(hash) as Row | undefined;
  page = async (limit) => rows.all(limit) as Row[];
} else {
  // The app's pool size (lib/db/client.ts uses pg's default of 10).
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  lookup = async (hash) => (await pool.query({ name: "token", text: tokenSql("$1"), values: [hash] })).rows[0];
  page = async (limit) => (await pool.query({ name: "page", text: pageSql("$1"), values: [limit] })).rows;
}

const server = http.createServer(async (req, res) => {
  try {
    const secret = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "")?.[1] ?? "";
    const token = await lookup(createHash("sha256").update(secret).digest("hex"));
    if (!token || token.revokedAt || !token.isActive) {
      res.writeHead(401).end();
      return;
    }
    const limit = Number(new URL(req.url ?? "/", "http://x").searchParams.get("limit") ?? 50);
    const rows = await page(limit + 1);
    const data = rows.slice(0, limit).map(({ teamId, teamName, ownerId, ownerName, ownerEmail, ...api }): Row => ({
      ...api,
      team: { id: teamId, name: teamName },
      owner: ownerId ? { id: ownerId, name: ownerName, email: ownerEmail } : null,
    }));
    const last = data[data.length - 1];
    const body = JSON.stringify({ data, nextCursor: rows.length > limit && last ? String(last.id) : null });
    res.writeHead(200, { "Content-Type": "application/json" }).end(body);
  } catch (error) {
    res.writeHead(500).end(String(error));
  }
});
server.listen(port, "127.0.0.1", () => process.stdout.write(`ceiling listening on ${port}\n`));
