/** An instant in UTC to the second ("2026-12-04 19:54:50") for a table's time column; exact in `dateTime`. */
export function UtcTime({ iso, className = "small nowrap" }: { iso: string; className?: string }) {
  return (
    <time className={className} dateTime={iso}>
      {iso.replace("T", " ").slice(0, 19)}
    </time>
  );
}
