"use client";
import Link from "next/link";
import {
  columnVisibilityFeature,
  rowPaginationFeature,
  rowSortingFeature,
  tableFeatures,
  useTable,
  type ColumnDef,
  type ColumnVisibilityState,
  type PaginationState,
  type RowData,
  type SortingState,
  type Updater,
} from "@tanstack/react-table";
import { useUrlState } from "@/components/data-table/use-url-state";
import type { TableParams, TableSpec } from "@/lib/tables/table-params";

// The one table kit for lists that grow: server-side sorting and pagination and column visibility, all
// kept in the URL (lib/tables/table-params.ts). Rows arrive already filtered, sorted and paged by the
// server; a column sorts when its id is one of the spec's sorts.
export const dataTableFeatures = tableFeatures({ columnVisibilityFeature, rowSortingFeature, rowPaginationFeature });
export type DataTableFeatures = typeof dataTableFeatures;
export type DataTableColumn<TData extends RowData> = ColumnDef<DataTableFeatures, TData, unknown>;

export type DataTableProps<TData extends RowData> = {
  caption: string;
  columns: DataTableColumn<TData>[];
  data: TData[];
  rowCount: number;
  params: TableParams;
  spec: TableSpec<string>;
  getRowId: (row: TData) => string;
  emptyMessage: React.ReactNode;
  toolbar?: React.ReactNode;
  /** Offer the "Columns" menu (wide tables whose columns a reader may hide). */
  columnsMenu?: boolean;
  /**
   * Paged by cursor instead of page number (lists of millions, read by keyset): the links to the newest
   * rows and to the next older ones, null where there is none. The rows shown are then all the count says.
   */
  cursor?: { newest: string | null; older: string | null };
};

const resolve = <T,>(updater: Updater<T>, current: T): T =>
  typeof updater === "function" ? (updater as (old: T) => T)(current) : updater;

export function DataTable<TData extends RowData>(props: DataTableProps<TData>) {
  const { update, hrefWith, isPending } = useUrlState();
  const { params, spec } = props;
  const sorting: SortingState = [{ id: params.sort, desc: params.desc }];
  const columnVisibility: ColumnVisibilityState = Object.fromEntries(params.hidden.map((id) => [id, false]));
  const pagination: PaginationState = { pageIndex: params.page - 1, pageSize: params.pageSize };
  const sortable = new Set<string>(spec.sorts);

  const table = useTable({
    features: dataTableFeatures,
    columns: props.columns.map((c) => ({ ...c, enableSorting: c.id !== undefined && sortable.has(c.id) })),
    data: props.data,
    getRowId: props.getRowId,
    rowCount: props.rowCount,
    manualSorting: true,
    manualPagination: true,
    enableSortingRemoval: false,
    // A header not yet sorted sorts A to Z (oldest, smallest) first; its second click reverses.
    sortDescFirst: false,
    state: { sorting, columnVisibility, pagination },
    onSortingChange: (u) => {
      const next = resolve(u, sorting)[0];
      if (next) update({ sort: next.desc ? `-${next.id}` : next.id });
    },
    onColumnVisibilityChange: (u) => {
      const next = resolve(u, columnVisibility);
      update({
        hide:
          Object.entries(next)
            .filter(([, visible]) => !visible)
            .map(([id]) => id)
            .join(",") || null,
        page: String(params.page),
      });
    },
    onPaginationChange: (u) => {
      const next = resolve(u, pagination);
      update(
        next.pageSize !== params.pageSize
          ? { size: String(next.pageSize), ...(props.cursor ? { cursor: null } : {}) }
          : { page: String(next.pageIndex + 1) },
      );
    },
  });

  const { page, pageSize } = params;
  const pageCount = Math.max(1, Math.ceil(props.rowCount / pageSize));
  const from = props.rowCount === 0 ? 0 : (page - 1) * pageSize + 1;
  const to = Math.min(props.rowCount, page * pageSize);
  const pastTheEnd = page > pageCount;

  return (
    <div>
      <div className="toolbar" style={{ justifyContent: "space-between" }}>
        <div className="row">{props.toolbar}</div>
        {props.columnsMenu ? (
          <details className="menu">
            <summary className="btn btn-small">Columns</summary>
            <div className="menu-body" role="group" aria-label="Visible columns">
              {table
                .getAllLeafColumns()
                .filter((c) => c.getCanHide())
                .map((column) => (
                  <label key={column.id} className="row small">
                    <input
                      type="checkbox"
                      checked={column.getIsVisible()}
                      onChange={column.getToggleVisibilityHandler()}
                    />
                    {typeof column.columnDef.header === "string" ? column.columnDef.header : column.id}
                  </label>
                ))}
            </div>
          </details>
        ) : null}
      </div>
      <div className="table-wrap" aria-busy={isPending}>
        <table className="data">
          <caption className="sr-only">
            {props.cursor
              ? `${props.caption}, ${props.data.length} rows shown${props.cursor.newest ? "" : ", the newest"}`
              : `${props.caption}, ${props.rowCount} rows, page ${page} of ${pageCount}`}
          </caption>
          <thead>
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {group.headers.map((header) => {
                  const sorted = header.column.getIsSorted();
                  return (
                    <th
                      key={header.id}
                      scope="col"
                      aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : undefined}
                    >
                      {header.isPlaceholder ? null : header.column.getCanSort() ? (
                        <button type="button" className="sort-btn" onClick={header.column.getToggleSortingHandler()}>
                          <table.FlexRender header={header} />
                          <span aria-hidden="true">{sorted === "asc" ? "▲" : sorted === "desc" ? "▼" : "↕"}</span>
                        </button>
                      ) : (
                        <table.FlexRender header={header} />
                      )}
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody>
            {table.getRowModel().rows.length === 0 ? (
              <tr>
                <td colSpan={table.getVisibleLeafColumns().length}>
                  {pastTheEnd ? (
                    <p className="muted" style={{ margin: "1rem 0" }}>
                      This list has {pageCount.toLocaleString("en-AU")} page{pageCount === 1 ? "" : "s"}.{" "}
                      <Link href={hrefWith({ page: String(pageCount) })}>Go to the last page</Link>
                    </p>
                  ) : (
                    props.emptyMessage
                  )}
                </td>
              </tr>
            ) : (
              table.getRowModel().rows.map((row) => (
                <tr key={row.id}>
                  {row.getVisibleCells().map((cell) => (
                    <td key={cell.id}>
                      <table.FlexRender cell={cell} />
                    </td>
                  ))}
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
      <nav className="pager" aria-label="Pages">
        <span className="small muted" aria-live="polite">
          {isPending
            ? "Loading…"
            : props.cursor
              ? `${props.data.length.toLocaleString("en-AU")} shown, newest first`
              : pastTheEnd
                ? `${props.rowCount.toLocaleString("en-AU")} in all`
                : `Showing ${from.toLocaleString("en-AU")}–${to.toLocaleString("en-AU")} of ${props.rowCount.toLocaleString("en-AU")}`}
        </span>
        <div className="row">
          <label className="row small" htmlFor="page-size">
            Rows per page
            <select
              id="page-size"
              value={pageSize}
              onChange={(e) => table.setPageSize(Number(e.target.value))}
              style={{ width: "auto" }}
            >
              {spec.pageSizes.map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </label>
          {props.cursor ? (
            <>
              <PageLink href={props.cursor.newest ?? ""} disabled={!props.cursor.newest} label="Newest">
                « Newest
              </PageLink>
              <PageLink href={props.cursor.older ?? ""} disabled={!props.cursor.older} label="Older">
                Older ›
              </PageLink>
            </>
          ) : (
            <PageNumbers page={page} pageCount={pageCount} hrefWith={hrefWith} />
          )}
        </div>
      </nav>
    </div>
  );
}

function PageNumbers({
  page,
  pageCount,
  hrefWith,
}: {
  page: number;
  pageCount: number;
  hrefWith: (patch: Record<string, string | null>) => string;
}) {
  return (
    <>
      <PageLink href={hrefWith({ page: "1" })} disabled={page <= 1} label="First page">
        « First
      </PageLink>
      <PageLink
        href={hrefWith({ page: String(Math.min(page, pageCount + 1) - 1) })}
        disabled={page <= 1}
        label="Previous page"
      >
        ‹ Previous
      </PageLink>
      <span className="small">
        Page {page} of {pageCount.toLocaleString("en-AU")}
      </span>
      <PageLink href={hrefWith({ page: String(page + 1) })} disabled={page >= pageCount} label="Next page">
        Next ›
      </PageLink>
      <PageLink href={hrefWith({ page: String(pageCount) })} disabled={page >= pageCount} label="Last page">
        Last »
      </PageLink>
    </>
  );
}

function PageLink({
  href,
  disabled,
  label,
  children,
}: {
  href: string;
  disabled: boolean;
  label: string;
  children: React.ReactNode;
}) {
  if (disabled) {
    return (
      <span className="btn btn-small" aria-disabled="true" aria-label={label} style={{ opacity: 0.5 }}>
        {children}
      </span>
    );
  }
  return (
    <Link className="btn btn-small" href={href} aria-label={label} scroll={false}>
      {children}
    </Link>
  );
}

/**
 * A list's table: its columns, view spec, row id and empty message bound once, rendered with the page
 * of rows the server read (`{ rows, total }`) and the view it parsed.
 */
export function listTable<TData extends RowData>(options: {
  caption: string;
  columns: DataTableColumn<TData>[];
  spec: TableSpec<string>;
  rowId: (row: TData) => string;
  empty: string;
}) {
  return function ListTable(props: { rows: TData[]; total: number; view: TableParams; caption?: string }) {
    return (
      <DataTable
        caption={props.caption ?? options.caption}
        columns={options.columns}
        data={props.rows}
        rowCount={props.total}
        params={props.view}
        spec={options.spec}
        getRowId={options.rowId}
        emptyMessage={<p className="muted">{options.empty}</p>}
      />
    );
  };
}
