type Entry = {
  seq: number;
  at: string;
  actorEmail: string;
  action: string;
  summary: string;
  diff: { changes?: Record<string, { from: unknown; to: unknown }> };
};

const show = (v: unknown) =>
  v === null || v === undefined || v === "" ? "—" : typeof v === "string" ? v : JSON.stringify(v);

export function ApiHistory({ entries }: { entries: Entry[] }) {
  if (entries.length === 0) return <p className="muted">No changes recorded.</p>;
  return (
    <ol className="stack" style={{ listStyle: "none", padding: 0, margin: 0, gap: "0.75rem" }}>
      {entries.map((e) => (
        <li key={e.seq} style={{ borderLeft: "3px solid var(--border)", paddingLeft: "0.75rem" }}>
          <div className="small">
            <time dateTime={e.at}>{e.at.replace("T", " ").slice(0, 16)} UTC</time> · {e.actorEmail}
          </div>
          <div>{e.summary}</div>
          {e.action === "api.update" && e.diff.changes ? (
            <ul className="small muted" style={{ margin: "0.25rem 0 0", paddingLeft: "1rem" }}>
              {Object.entries(e.diff.changes)
                .filter(([field]) => !field.startsWith("ism") && field !== "hasWarning" && field !== "updatedById")
                .map(([field, c]) => (
                  <li key={field}>
                    <strong>{field}</strong>: {show(c.from)} → {show(c.to)}
                  </li>
                ))}
            </ul>
          ) : null}
        </li>
      ))}
    </ol>
  );
}
