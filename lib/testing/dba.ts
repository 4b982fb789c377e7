import Database from "better-sqlite3";
import pg from "pg";
import { sqlitePath } from "@/lib/db/db-url";
import type { TestDatabase } from "@/lib/testing/test-db";

/**
 * Raw SQL on a test database's tables, as its administrator would run it — not through the app, whose
 * client refuses any write outside authorizedWrite. `?` placeholders on both databases.
 */
export async function asDatabaseAdmin(
  database: TestDatabase,
  statements: string[],
  params: unknown[][] = [],
): Promise<void> {
  if (database.provider === "sqlite") {
    const file = new Database(sqlitePath(database.url));
    statements.forEach((sql, i) => file.prepare(sql).run(...((params[i] ?? []) as unknown[])));
    file.close();
    return;
  }
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  for (const [i, sql] of statements.entries())
    await client.query(
      sql.replace(/\?/g, (_m, offset: number) => `$${sql.slice(0, offset).split("?").length}`),
      params[i] ?? [],
    );
  await client.end();
}
