import Link from "next/link";

export type Segment = { label: string; value: number; color: string; href?: string };

/**
 * One horizontal stacked bar. Each segment is a link (to the matching filtered list) with its number
 * in its accessible name, so the chart is readable without colour or sight.
 */
export function StackedBar({ segments, label }: { segments: Segment[]; label: string }) {
  const total = segments.reduce((n, s) => n + s.value, 0);
  return (
    <div className="stacked-bar" role="group" aria-label={label}>
      {total === 0 ? <span className="sr-only">No data</span> : null}
      {segments
        .filter((s) => s.value > 0)
        .map((s) => {
          const style = { width: `${(s.value / total) * 100}%`, background: s.color };
          const name = `${s.label}: ${s.value}`;
          return s.href ? (
            <Link key={s.label} href={s.href} style={style} aria-label={name} title={name} />
          ) : (
            <span key={s.label} style={{ ...style, display: "block" }} role="img" aria-label={name} title={name} />
          );
        })}
    </div>
  );
}
