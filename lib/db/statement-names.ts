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

/**
 * DATABASE_PREPARED_STATEMENTS: "on" (unset or empty) or "off". A DATABASE_URL with Prisma's old
 * `pgbouncer=true` flag says a transaction-mode pooler is in between: off unless set to "on".
 */
export function preparedStatementsOn(env: Record<string, string | undefined> = process.env): boolean {
  const set = env.DATABASE_PREPARED_STATEMENTS?.trim().toLowerCase() ?? "";
  if (set && set !== "on" && set !== "off")
    throw new Error(`DATABASE_PREPARED_STATEMENTS must be "on" or "off", not "${env.DATABASE_PREPARED_STATEMENTS}".`);
  if (set) return set === "on";
  return !/[?&]pgbouncer=true(&|$)/i.test(env.DATABASE_URL ?? "");
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
    // A text with a ";" may hold several statements, which only the unnamed simple protocol runs.
    if (sql.length > MAX_SQL_LENGTH || named.size >= MAX_NAMED_STATEMENTS || sql.includes(";")) return "";
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
