import { describe, expect, it } from "vitest";
import { MAX_NAMED_STATEMENTS, preparedStatementsOn, statementNamer } from "@/lib/db/statement-names";

describe("named statements on PostgreSQL", () => {
  it("names a text from its third sending on, always by the same name; other texts get their own", () => {
    const name = statementNamer();
    const a = { sql: 'SELECT "id" FROM "Api" WHERE "id" = $1' };
    expect([name(a), name(a)]).toEqual(["", ""]);
    const named = name(a);
    expect(named).toMatch(/^apl_[0-9a-f]{32}$/);
    expect(name(a)).toBe(named);
    const b = { sql: 'SELECT "id" FROM "Team" WHERE "id" = $1' };
    name(b);
    name(b);
    expect(name(b)).not.toBe(named);
    // A second process names the same text the same way (pg refuses one name for two texts on a connection).
    const other = statementNamer();
    for (let i = 0; i < 2; i++) other(a);
    expect(other(a)).toBe(named);
  });

  it("never names long texts, and stops naming new texts at the cap, so the server's memory stays bounded", () => {
    const name = statementNamer();
    const long = { sql: `SELECT 1 WHERE 1 IN (${Array.from({ length: 3000 }, (_, i) => `$${i + 1}`).join(", ")})` };
    for (let i = 0; i < 5; i++) expect(name(long)).toBe("");
    for (let n = 0; n < MAX_NAMED_STATEMENTS; n++) for (let i = 0; i < 3; i++) name({ sql: `SELECT ${n}` });
    expect(name({ sql: "SELECT 0" })).toMatch(/^apl_/);
    const late = { sql: "SELECT 'one too many'" };
    for (let i = 0; i < 5; i++) expect(name(late)).toBe("");
  });

  it("never names a text that may hold several statements", () => {
    const name = statementNamer();
    const two = { sql: "SELECT 1; SELECT 2" };
    for (let i = 0; i < 5; i++) expect(name(two)).toBe("");
  });

  it("DATABASE_PREPARED_STATEMENTS is on (default) or off; anything else is refused, naming the setting", () => {
    expect(preparedStatementsOn({})).toBe(true);
    expect(preparedStatementsOn({ DATABASE_PREPARED_STATEMENTS: "" })).toBe(true);
    expect(preparedStatementsOn({ DATABASE_PREPARED_STATEMENTS: " OFF " })).toBe(false);
    // Prisma's flag for a transaction-mode PgBouncer turns them off unless set on.
    const pooled = "postgresql://app@pgbouncer:6432/apiledger?pgbouncer=true";
    expect(preparedStatementsOn({ DATABASE_URL: pooled })).toBe(false);
    expect(preparedStatementsOn({ DATABASE_URL: pooled, DATABASE_PREPARED_STATEMENTS: "on" })).toBe(true);
    expect(preparedStatementsOn({ DATABASE_URL: "postgresql://app@db/apiledger?pgbouncer=trueish" })).toBe(true);
    for (const v of ["0", "no", "of", "on\u0000", "\u202Eon", "=on"])
      expect(() => preparedStatementsOn({ DATABASE_PREPARED_STATEMENTS: v }), v).toThrow(
        /DATABASE_PREPARED_STATEMENTS/,
      );
  });
});
