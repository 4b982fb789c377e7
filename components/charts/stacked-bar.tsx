import Link from "next/link";

export type Segment = { label: string; value: number; color: string; href?: string };

/** Chart colours as CSS tokens (app/globals.css), so every page — and dark mode — uses the same ones. */
export const CHART_COLORS = {
  met: "var(--chart-met)",
  notMet: "var(--chart-notmet)",
  judge: "var(--chart-judge)",
  neutral: "var(--chart-empty)",
  brand: "var(--chart-brand)",
  partner: "var(--chart-partner)",
  internet: "var(--chart-internet)",
} as const;

/**
 * One horizontal stacked bar. Each segment is a link (to the matching filtered list) with its number
 * in its accessible name, so the chart is readable without colour or sight. With `scale` (the largest
 * total among the bars compared) the bar is as long as its total, so rows compare by length, and its
 * count is written beside it; without, it shows shares of its own total (coverage).
 */
export function StackedBar({ segments, label, scale }: { segments: Segment[]; label: string; scale?: number }) {
  const total = segments.reduce((n, s) => n + s.value, 0);
  const denominator = scale && scale >= total ? scale : total;
  const bar = (
    <div className="stacked-bar" role="group" aria-label={label} style={scale ? { flex: 1 } : undefined}>
      {total === 0 ? <span className="sr-only">No data</span> : null}
      {segments
        .filter((s) => s.value > 0)
        .map((s) => {
          // A linked segment is at least 24 px wide (WCAG 2.2 target size), even for a count of one.
          const style = {
            width: `${(s.value / denominator) * 100}%`,
            background: s.color,
            ...(s.href ? { minWidth: 24 } : {}),
          };
          const name = `${s.label}: ${s.value}`;
          return s.href ? (
            <Link key={s.label} href={s.href} style={style} aria-label={name} title={name} />
          ) : (
            <span key={s.label} style={{ ...style, display: "block" }} role="img" aria-label={name} title={name} />
          );
        })}
    </div>
  );
  if (scale === undefined) return bar;
  return (
    <div className="row" style={{ gap: "0.5rem", flexWrap: "nowrap" }}>
      {bar}
      <span className="small" style={{ minWidth: "3.5ch", textAlign: "right" }} aria-hidden="true">
        {total.toLocaleString("en-AU")}
      </span>
    </div>
  );
}
