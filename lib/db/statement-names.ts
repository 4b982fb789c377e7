import { createHash } from "node:crypto";

// Named (prepared) statements on PostgreSQL for the queries the app sends again and again. An unnamed
// query is parsed and planned by the server every time; a named one once per connection (pg keeps the
// names it prepared on each connection and sends only Bind and Execute after). Named after its third
// sending, so one-off statements (a batch's INSERT of one size, a report) are never kept; at most
// MAX_NAMED_STATEMENTS texts are named per process, so the server's memory for them stays bounded
// (that many per connection). DATABASE_PREPARED_STATEMENTS=off turns it off, for a pooler in transaction
// mode that cannot carry prepared statements from one transaction to the next (PgBouncer before 1.21).

export const MAX_NAMED_STATEMENTS = 256;
const SENT_BEFORE_NAMING = 3;
const MAX_SQL_LENGTH = 8_000;
/** Texts counted but not yet named; forgotten all at once when this many (their counts start again). */
const MAX_COUNTED = 4_096;

export function preparedStatementsOn(env: Record<string, string | undefined> = process.env): boolean {
  const value = (env.DATABASE_PREPARED_STATEMENTS ?? "on").trim().toLowerCase();
  if (value !== "on" && value !== "off")
    throw new Error(`DATABASE_PREPARED_STATEMENTS must be "on" or "off", not "${env.DATABASE_PREPARED_STATEMENTS}".`);
  return value === "on";
}

/**
 * The adapter's statement namer (PrismaPg's statementNameGenerator): a name for a text sent often, else ""
 * (pg sends a query with an empty name unnamed, as before).
 */
export function statementNamer(): (query: { sql: string }) => string {
  const counted = new Map<string, number>();
  const named = new Map<string, string>();
  return ({ sql }) => {
    const name = named.get(sql);
    if (name !== undefined) return name;
    if (sql.length > MAX_SQL_LENGTH || named.size >= MAX_NAMED_STATEMENTS) return "";
    const sent = (counted.get(sql) ?? 0) + 1;
    if (sent < SENT_BEFORE_NAMING) {
      if (counted.size >= MAX_COUNTED) counted.clear();
      counted.set(sql, sent);
      return "";
    }
    counted.delete(sql);
    const fresh = `apl_${createHash("sha256").update(sql).digest("hex").slice(0, 32)}`;
    named.set(sql, fresh);
    return fresh;
  };
}
