/**
 * Raw reads are allowed only as one SELECT or WITH statement, so raw SQL cannot slip a write past the
 * audit: no WITH holding an INSERT, UPDATE, DELETE or MERGE, no SELECT … INTO (a new table on
 * PostgreSQL). A text check is a guard against mistakes in our own SQL, not a sandbox: no caller's text
 * ever reaches raw SQL.
 */
export function isReadOnlySql(args: unknown): boolean {
  const first = Array.isArray(args) ? args[0] : args;
  const text =
    typeof first === "string"
      ? first
      : first && typeof first === "object" && "strings" in first && Array.isArray(first.strings)
        ? first.strings.join("?")
        : first && typeof first === "object" && "sql" in first && typeof first.sql === "string"
          ? first.sql
          : Array.isArray(first)
            ? first.join("?")
            : "";
  return (
    /^\s*(select|with)\b/i.test(text) &&
    !/;\s*\S/.test(text) &&
    !/\binto\b/i.test(text) &&
    !(/^\s*with\b/i.test(text) && /\b(insert|update|delete|merge)\b/i.test(text))
  );
}
