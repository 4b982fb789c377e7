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

// The one table kit: server-side sorting and pagination, column visibility, all kept in the URL
// (sort=-field, page, size, hide=a,b). Rows arrive already filtered, sorted and paged by the server.
export const dataTableFeatures = tableFeatures({ columnVisibilityFeature, rowSortingFeature, rowPaginationFeature });
export type DataTableFeatures = typeof dataTableFeatures;
export type DataTableColumn<TData extends RowData> = ColumnDef<DataTableFeatures, TData, unknown>;

export type DataTableProps<TData extends RowData> = {
  caption: string;
  columns: DataTableColumn<TData>[];
  data: TData[];
  rowCount: number;
  sort: string;
  desc: boolean;
  page: number;
  pageSize: number;
  pageSizes: readonly number[];
  hidden: string[];
  getRowId: (row: TData) => string;
  emptyMessage: React.ReactNode;
  toolbar?: React.ReactNode;
};

const resolve = <T,>(updater: Updater<T>, current: T): T =>
  typeof updater === "function" ? (updater as (old: T) => T)(current) : updater;

export function DataTable<TData extends RowData>(props: DataTableProps<TData>) {
  const { update, hrefWith, isPending } = useUrlState();
  const sorting: SortingState = [{ id: props.sort, desc: props.desc }];
  const columnVisibility: ColumnVisibilityState = Object.fromEntries(props.hidden.map((id) => [id, false]));
  const pagination: PaginationState = { pageIndex: props.page - 1, pageSize: props.pageSize };

  const table = useTable({
    features: dataTableFeatures,
    columns: props.columns,
    data: props.data,
    getRowId: props.getRowId,
    rowCount: props.rowCount,
    manualSorting: true,
    manualPagination: true,
    enableSortingRemoval: false,
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
        page: String(props.page),
      });
    },
    onPaginationChange: (u) => {
      const next = resolve(u, pagination);
      update(next.pageSize !== props.pageSize ? { size: String(next.pageSize) } : { page: String(next.pageIndex + 1) });
    },
  });

  const pageCount = Math.max(1, Math.ceil(props.rowCount / props.pageSize));
  const from = props.rowCount === 0 ? 0 : (props.page - 1) * props.pageSize + 1;
  const to = Math.min(props.rowCount, props.page * props.pageSize);

  return (
    <div>
      <div className="toolbar" style={{ justifyContent: "space-between" }}>
        <div className="row">{props.toolbar}</div>
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
      </div>
      <div className="table-wrap" aria-busy={isPending}>
        <table className="data">
          <caption className="sr-only">
            {props.caption}, {props.rowCount} rows, page {props.page} of {pageCount}
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
                <td colSpan={table.getVisibleLeafColumns().length}>{props.emptyMessage}</td>
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
            : `Showing ${from.toLocaleString("en-AU")}–${to.toLocaleString("en-AU")} of ${props.rowCount.toLocaleString("en-AU")}`}
        </span>
        <div className="row">
          <label className="row small" htmlFor="page-size">
            Rows per page
            <select
              id="page-size"
              value={props.pageSize}
              onChange={(e) => table.setPageSize(Number(e.target.value))}
              style={{ width: "auto" }}
            >
              {props.pageSizes.map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </label>
          <PageLink href={hrefWith({ page: "1" })} disabled={props.page <= 1} label="First page">
            « First
          </PageLink>
          <PageLink href={hrefWith({ page: String(props.page - 1) })} disabled={props.page <= 1} label="Previous page">
            ‹ Previous
          </PageLink>
          <span className="small">
            Page {props.page} of {pageCount.toLocaleString("en-AU")}
          </span>
          <PageLink
            href={hrefWith({ page: String(props.page + 1) })}
            disabled={props.page >= pageCount}
            label="Next page"
          >
            Next ›
          </PageLink>
          <PageLink href={hrefWith({ page: String(pageCount) })} disabled={props.page >= pageCount} label="Last page">
            Last »
          </PageLink>
        </div>
      </nav>
    </div>
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
