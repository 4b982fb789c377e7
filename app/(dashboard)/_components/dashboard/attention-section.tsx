import Link from "next/link";
import type { AttentionItem, SetupStep } from "@/lib/dashboard/attention";

/** The urgent things, first on the dashboard; one calm line when there are none. */
export function AttentionSection({ items }: { items: AttentionItem[] }) {
  return (
    <section className="card" aria-labelledby="attention-h" style={{ marginBottom: "1rem" }}>
      <h2 id="attention-h">Needs attention</h2>
      {items.length === 0 ? (
        <p className="small" style={{ margin: 0 }}>
          Nothing urgent for you: no open alerts, nothing overdue, and every PROTECTED-or-higher API you are responsible
          for meets its controls.
        </p>
      ) : (
        <ul className="attention">
          {items.map((i) => (
            <li key={i.key}>
              <Link href={i.href}>
                <span className={`badge ${i.tone === "bad" ? "badge-NOT_MET" : "badge-CANNOT_JUDGE"}`}>
                  {i.count.toLocaleString("en-AU")}
                </span>{" "}
                {i.text}
              </Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** A new installation's checklist, for an administrator, until every step is done. */
export function SetupSection({ steps }: { steps: SetupStep[] }) {
  const done = steps.filter((s) => s.done).length;
  return (
    <section className="card" aria-labelledby="setup-h" style={{ marginBottom: "1rem" }}>
      <h2 id="setup-h">Getting started</h2>
      <p className="small muted">
        {done} of {steps.length} done. This list stays here until every step is.
      </p>
      <ol className="setup-steps">
        {steps.map((s) => (
          <li key={s.key} aria-label={`${s.text}: ${s.done ? "done" : "to do"}`}>
            <span className={`badge ${s.done ? "badge-MET" : "badge-NOT_APPLICABLE"}`}>
              {s.done ? "Done" : "To do"}
            </span>{" "}
            {s.text}
            {s.done ? null : (
              <>
                {" "}
                — <Link href={s.href}>{s.action}</Link>
              </>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
