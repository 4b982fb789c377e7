"use client";
import Link from "next/link";
import { createContext, useContext } from "react";
import { createColumnHelper } from "@tanstack/react-table";
import { listTable, type DataTableColumn, type DataTableFeatures } from "@/components/data-table/data-table";
import { SOURCE_TABLE, type SourceView } from "@/lib/traffic/list-view";
import { CHART_COLORS, StackedBar } from "@/components/charts/stacked-bar";
import type { TrafficSourceRow } from "@/lib/traffic/queries";
import { PROFILE_LABELS } from "@/lib/traffic/schemas";

const when = (iso: string | null) => (iso ? `${iso.replace("T", " ").slice(0, 16)} UTC` : "never");
const count = (n: number) => n.toLocaleString("en-AU");
/** A small number with one decimal, a larger one whole; never "0" for something that is not nothing. */
const amount = (n: number) =>
  n > 0 && n < 0.1 ? "< 0.1" : n.toLocaleString("en-AU", { maximumFractionDigits: n < 10 ? 1 : 0 });

const column = createColumnHelper<DataTableFeatures, TrafficSourceRow>();

/** The page's scales: every row's rate bars and record bars are drawn on the same one. */
type Scales = { records: number; minute: number };
const PageScales = createContext<Scales>({ records: 0, minute: 0 });

const SOURCE_COLUMNS = [
  column.accessor("name", {
    id: "name",
    header: "Source",
    cell: ({ row: { original: s } }) => (
      <>
        <Link href={`/traffic/${s.id}`}>{s.name}</Link>
        <div className="small muted">
          {PROFILE_LABELS[s.profile]} · {s.lenient ? "lenient" : "strict"}
        </div>
        {s.inQuarantine ? (
          <div className="small">
            <Link href={`/traffic/${s.id}`}>{s.inQuarantine.toLocaleString("en-AU")} in quarantine</Link>
          </div>
        ) : null}
      </>
    ),
  }),
  column.display({
    id: "rate",
    header: "Rate (last hour)",
    cell: ({ row: { original: s } }) => <Rate rate={s.rate} />,
  }),
  column.accessor("team", {
    id: "team",
    header: "Sends for",
    cell: ({ row: { original: s } }) => (
      <span className="small">
        {s.team}
        <span className="muted" style={{ display: "block" }}>
          {s.api ? (
            <>
              <Link href={`/apis/${s.api.id}/events`}>{s.api.name}</Link>
              {s.api.retired ? " (retired)" : ""}
            </>
          ) : (
            "no API: calls unrouted"
          )}
        </span>
      </span>
    ),
  }),
  column.accessor("lastReceivedAt", {
    id: "lastReceivedAt",
    header: "Last received",
    cell: (info) => <span className="small nowrap">{when(info.getValue())}</span>,
  }),
  column.display({
    id: "records",
    header: "Records: stored, quarantined, unrouted",
    cell: ({ row: { original: s } }) => <Records source={s} />,
  }),
  column.display({
    id: "token",
    header: "Token expires",
    cell: ({ row: { original: s } }) => (
      <span className="small nowrap">
        {s.accountDeactivated ? (
          <span className="badge badge-NOT_MET">account deactivated</span>
        ) : s.tokenExpired ? (
          <span className="badge badge-NOT_MET">{s.tokenExpiresAt ? "expired" : "no token"}</span>
        ) : (
          s.tokenExpiresAt!.slice(0, 10)
        )}
      </span>
    ),
  }),
] as DataTableColumn<TrafficSourceRow>[];

const SourceList = listTable({
  caption: "Traffic sources",
  columns: SOURCE_COLUMNS,
  spec: SOURCE_TABLE,
  rowId: (s) => s.id,
  empty: "No sources yet. Register the first gateway below.",
});

/** What became of a source's records, as a bar on the page's scale, and in words. */
function Records({ source: s }: { source: TrafficSourceRow }) {
  const { records } = useContext(PageScales);
  return (
    <div style={{ minWidth: "14rem" }}>
      <StackedBar
        label={`Records from ${s.name}`}
        scale={records}
        segments={[
          { label: "Stored", value: s.stored, color: CHART_COLORS.met },
          { label: "Quarantined", value: s.quarantined, color: CHART_COLORS.notMet },
          { label: "Unrouted", value: s.unrouted, color: CHART_COLORS.judge },
        ]}
      />
      <div className="small muted">
        {count(s.stored)} stored · {count(s.quarantined)} quarantined · {count(s.unrouted)} unrouted
        {s.duplicates ? ` · ${count(s.duplicates)} sent again (not stored twice)` : ""}
      </div>
    </div>
  );
}

/**
 * The sources, a page at a time, each with how fast it sends now (records a minute over the last hour, as
 * 60 bars on one scale for every row, so a busy gateway and a quiet one compare at a glance) and what
 * became of its records as a bar as long as its count (so sources compare by length): stored,
 * quarantined, unrouted.
 */
export function SourceTable({ rows, total, view }: { rows: TrafficSourceRow[]; total: number; view: SourceView }) {
  const scales = {
    records: Math.max(0, ...rows.map((s) => s.stored + s.quarantined + s.unrouted)),
    minute: Math.max(0, ...rows.flatMap((s) => s.rate.perMinute)),
  };
  return (
    <PageScales.Provider value={scales}>
      <SourceList rows={rows} total={total} view={view} />
    </PageScales.Provider>
  );
}

const BAR = 2;
const HEIGHT = 24;

/**
 * Records a minute over the last hour: the average, and each minute as a bar (the current one, still
 * filling, last) whose height is on `scale`, the busiest minute of any source in the table.
 */
function Rate({ rate }: { rate: TrafficSourceRow["rate"] }) {
  const scale = useContext(PageScales).minute;
  const busiest = Math.max(0, ...rate.perMinute);
  const label = rate.receivedLastHour
    ? `${count(rate.receivedLastHour)} record${rate.receivedLastHour === 1 ? "" : "s"} in the last hour, peak ${count(busiest)} a minute`
    : "No records in the last hour";
  const width = rate.perMinute.length * BAR;
  return (
    <div className="small">
      <div className="nowrap">
        <strong>{amount(rate.receivedPerMinute)}</strong> a minute
      </div>
      <svg
        role="img"
        aria-label={label}
        width={width}
        height={HEIGHT}
        viewBox={`0 0 ${width} ${HEIGHT}`}
        shapeRendering="crispEdges"
        style={{ display: "block", margin: "2px 0" }}
      >
        <rect x={0} y={HEIGHT - 1} width={width} height={1} style={{ fill: "var(--chart-empty)" }} />
        <g style={{ fill: "var(--chart-brand)" }}>
          {rate.perMinute.map((n, i) => {
            if (!n || !scale) return null;
            // At least a pixel: a minute with one record is not drawn as a minute with none.
            const h = Math.max(1, Math.round((n / scale) * HEIGHT));
            return <rect key={i} x={i * BAR} y={HEIGHT - h} width={BAR} height={h} />;
          })}
        </g>
      </svg>
      <div className="muted">{count(rate.receivedLastHour)} in the hour</div>
      {rate.quarantinedLastHour ? (
        <div className="muted">{share(rate.quarantinedLastHour, rate.receivedLastHour)} quarantined</div>
      ) : null}
    </div>
  );
}

const share = (part: number, whole: number) => `${amount((part / whole) * 100)}%`;
