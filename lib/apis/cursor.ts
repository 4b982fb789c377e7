import type { Prisma } from "@/lib/generated/prisma-sqlite/client";
import type { DbProvider } from "@/lib/db/db-url";
import { EXPOSURES, LIFECYCLES, SENSITIVITIES } from "@/lib/apis/enums";
import { AppError } from "@/lib/errors";
import type { SortField } from "@/lib/apis/list-params";

// Keyset ("seek") pagination for the REST list: the cursor holds the last row's sort value and id, and
// the next page starts strictly after it in the same order (sort field, then id). Unlike page numbers,
// rows inserted or deleted elsewhere while a client pages through never make it skip or repeat a row.
export type Cursor = { s: SortField; d: boolean; v: string | null; i: string };

/**
 * The cursor's form. 2: the id tie-breaker runs in the sort's direction (afterCursor); a cursor of the
 * first form, issued before, would skip or repeat rows under it, so it is refused and the client starts over.
 */
const CURSOR_VERSION = 2;

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify({ ...c, k: CURSOR_VERSION })).toString("base64url");
}

export function decodeCursor(raw: string, sort: SortField, desc: boolean): Cursor {
  let c: Partial<Cursor>;
  try {
    c = JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as Partial<Cursor>;
  } catch {
    throw new AppError("VALIDATION", "The cursor is not one this API issued.", {
      cursor: ["Use the nextCursor of the previous page."],
    });
  }
  if (typeof c.i !== "string" || (c.v !== null && typeof c.v !== "string") || c.s === undefined)
    throw new AppError("VALIDATION", "The cursor is not one this API issued.", {
      cursor: ["Use the nextCursor of the previous page."],
    });
  if ((c as { k?: unknown }).k !== CURSOR_VERSION)
    throw new AppError("VALIDATION", "The cursor was issued by an earlier version of ApiLedger.", {
      cursor: ["Start again from the first page (without a cursor)."],
    });
  if (c.s !== sort || c.d !== desc)
    throw new AppError("VALIDATION", "The cursor belongs to a different sort order.", {
      cursor: ["Keep sort and desc the same while paging."],
    });
  return c as Cursor;
}

// Enumerations sort by their declared order (their meaning), through the rank column stored beside each
// (lib/apis/api-data.ts enumRanks), on SQLite and PostgreSQL alike.
const ENUM_ORDER = { lifecycle: LIFECYCLES, exposure: EXPOSURES, sensitivity: SENSITIVITIES } as const;
export const isEnumSort = (sort: SortField): sort is keyof typeof ENUM_ORDER => sort in ENUM_ORDER;

type SortValues = {
  name: string;
  lifecycle: string;
  exposure: string;
  sensitivity: string;
  updatedAt: Date | string;
  createdAt: Date | string;
  team: { name: string };
  owner: { name: string } | null;
};

/**
 * The value of the sort field of a row, as the cursor stores it. The row may hold only that field (the
 * list's first read selects no other); a row without it is a bug, not an empty value.
 */
export function sortValueOf(row: Partial<SortValues>, sort: SortField): string | null {
  if (!(sort in row)) throw new Error(`The row holds no ${sort} to make a cursor from.`);
  const iso = (d: Date | string | undefined) => (d instanceof Date ? d.toISOString() : (d ?? ""));
  switch (sort) {
    case "team":
      return row.team!.name;
    case "owner":
      return row.owner?.name ?? null;
    case "updatedAt":
      return iso(row.updatedAt);
    case "createdAt":
      return iso(row.createdAt);
    default:
      return row[sort]!;
  }
}

/**
 * Rows strictly after the cursor in the list's order. The id breaks ties in the sort's own direction, so
 * a page is one range of the (column, id) index read forwards or backwards: with the id always
 * ascending under a descending sort, SQLite chose to sort the whole table for a page of one or two rows
 * (35 ms at 50,000 APIs instead of 0.1 ms).
 */
export function afterCursor(c: Cursor, provider: DbProvider): Prisma.ApiWhereInput {
  const after = c.d ? "lt" : "gt";
  const tie = { id: { [after]: c.i } };
  switch (c.s) {
    case "name":
      return { OR: [{ name: { [after]: c.v ?? "" } }, { name: c.v ?? "", ...tie }] };
    case "updatedAt":
    case "createdAt": {
      const at = new Date(c.v ?? 0);
      return { OR: [{ [c.s]: { [after]: at } }, { [c.s]: at, ...tie }] };
    }
    case "lifecycle":
    case "exposure":
    case "sensitivity": {
      const rank = (ENUM_ORDER[c.s] as readonly string[]).indexOf(c.v ?? "");
      if (rank < 0)
        throw new AppError("VALIDATION", "The cursor is not one this API issued.", {
          cursor: ["Use the nextCursor of the previous page."],
        });
      const column = `${c.s}Rank` as const;
      return { OR: [{ [column]: { [after]: rank } }, { [column]: rank, ...tie }] };
    }
    case "team":
      return { OR: [{ team: { name: { [after]: c.v ?? "" } } }, { team: { name: c.v ?? "" }, ...tie }] };
    case "owner": {
      // APIs without an owner sort as NULL: first on SQLite and last on PostgreSQL when ascending,
      // the other way round when descending.
      const nullsFirst = (provider === "sqlite") !== c.d;
      if (c.v === null)
        return nullsFirst ? { OR: [{ ownerId: null, ...tie }, { ownerId: { not: null } }] } : { ownerId: null, ...tie };
      const named: Prisma.ApiWhereInput = {
        OR: [{ owner: { name: { [after]: c.v } } }, { owner: { name: c.v }, ...tie }],
      };
      return nullsFirst ? named : { OR: [named, { ownerId: null }] };
    }
  }
}
