// A list view's paging, sort and hidden columns as URL search parameters (sort=-field, page, size,
// hide=a,b), so a view can be bookmarked and shared and the server renders exactly the rows it names.
// Client-safe: the table kit builds links with it, pages parse with it. Unknown values fall back to the
// defaults rather than failing: a stale or hand-edited link still opens a view.

export type SearchParamsRecord = Record<string, string | string[] | undefined>;

export const PAGE_SIZES = [25, 50, 100] as const;
const MAX_PAGE = 100_000;

export type TableSpec<S extends string> = {
  /** Columns the server can sort by (each maps to an index-backed order in the list's query). */
  sorts: readonly S[];
  defaultSort: S;
  defaultDesc: boolean;
  pageSizes: readonly number[];
};

export type TableParams<S extends string = string> = {
  sort: S;
  desc: boolean;
  page: number;
  pageSize: number;
  hidden: string[];
};

/** One page of a list and the number of rows the whole list holds. */
export type TablePage<T> = { rows: T[]; total: number };

export function defineTable<const S extends string>(
  spec: Pick<TableSpec<S>, "sorts" | "defaultSort"> & Partial<TableSpec<S>>,
): TableSpec<S> {
  return { defaultDesc: false, pageSizes: PAGE_SIZES, ...spec };
}

export function firstParam(raw: SearchParamsRecord, key: string): string {
  const v = raw[key];
  return (Array.isArray(v) ? v[0] : v) ?? "";
}

export function listParam(raw: SearchParamsRecord, key: string): string[] {
  const v = raw[key];
  const all = Array.isArray(v) ? v : v ? [v] : [];
  return all
    .flatMap((s) => s.split(","))
    .map((s) => s.trim())
    .filter(Boolean);
}

export function parseTableParams<S extends string>(raw: SearchParamsRecord, spec: TableSpec<S>): TableParams<S> {
  const sortRaw = firstParam(raw, "sort");
  const named = sortRaw.replace(/^-/, "");
  const known = (spec.sorts as readonly string[]).includes(named);
  const size = Number(firstParam(raw, "size"));
  const page = Math.floor(Number(firstParam(raw, "page")));
  return {
    sort: known ? (named as S) : spec.defaultSort,
    desc: known ? sortRaw.startsWith("-") : spec.defaultDesc,
    page: Number.isFinite(page) && page >= 1 ? Math.min(page, MAX_PAGE) : 1,
    pageSize: spec.pageSizes.includes(size) ? size : spec.pageSizes[0]!,
    hidden: listParam(raw, "hide").slice(0, 30),
  };
}

/** The parameters that differ from the defaults, for links that keep a view. */
export function tableSearchParams<S extends string>(
  params: TableParams<S>,
  spec: TableSpec<S>,
  into = new URLSearchParams(),
): URLSearchParams {
  if (params.sort !== spec.defaultSort || params.desc !== spec.defaultDesc)
    into.set("sort", `${params.desc ? "-" : ""}${params.sort}`);
  if (params.pageSize !== spec.pageSizes[0]) into.set("size", String(params.pageSize));
  if (params.page > 1) into.set("page", String(params.page));
  if (params.hidden.length) into.set("hide", params.hidden.join(","));
  return into;
}

/** The rows a query skips and takes for the page the parameters name. */
export function pageWindow(params: Pick<TableParams, "page" | "pageSize">): { skip: number; take: number } {
  return { skip: (params.page - 1) * params.pageSize, take: params.pageSize };
}
