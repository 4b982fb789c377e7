import Link from "next/link";
import { ReviewStateBadge } from "@/components/reviews/review-state-badge";
import type { ReviewState } from "@/lib/reviews/queries";

type Work = {
  reviews: { id: string; apiName: string; quarter: string; dueOn: string; state: ReviewState }[];
  actions: { id: string; link: string; description: string; dueOn: string; overdue: boolean }[];
};

/** The signed-in person's open reviews and actions; shown first on the dashboard and the reviews page. */
export function MyWork({ work }: { work: Work }) {
  if (work.reviews.length === 0 && work.actions.length === 0) return null;
  return (
    <section
      className="card stack"
      aria-labelledby="my-work-h"
      style={{ marginBottom: "1rem", borderLeft: "4px solid var(--brand)" }}
    >
      <h2 id="my-work-h">My reviews and actions</h2>
      {work.reviews.length ? (
        <ul style={{ margin: 0, paddingLeft: "1.1rem" }}>
          {work.reviews.map((r) => (
            <li key={r.id}>
              <Link href={`/reviews/${r.id}`}>
                {r.quarter} review of {r.apiName}
              </Link>{" "}
              <ReviewStateBadge state={r.state} /> <span className="small muted">due {r.dueOn}</span>
            </li>
          ))}
        </ul>
      ) : null}
      {work.actions.length ? (
        <ul style={{ margin: 0, paddingLeft: "1.1rem" }}>
          {work.actions.map((a) => (
            <li key={a.id}>
              <Link href={a.link}>{a.description}</Link>{" "}
              <span className={`small ${a.overdue ? "" : "muted"}`}>
                {a.overdue ? <span className="badge badge-NOT_MET">overdue</span> : null} due {a.dueOn || "—"}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
