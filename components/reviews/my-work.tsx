import Link from "next/link";
import { ReviewStateBadge } from "@/components/reviews/review-state-badge";
import type { ReviewState } from "@/lib/reviews/queries";

type Work = {
  reviews: { id: string; apiName: string; quarter: string; dueOn: string; state: ReviewState }[];
  followUps: { id: string; link: string; description: string; dueOn: string; overdue: boolean }[];
};

/** The signed-in person's open reviews and follow-ups; shown first on the dashboard and the reviews page. */
export function MyWork({ work }: { work: Work }) {
  if (work.reviews.length === 0 && work.followUps.length === 0) return null;
  return (
    <section
      className="card stack"
      aria-labelledby="my-work-h"
      style={{ marginBottom: "1rem", borderLeft: "4px solid var(--brand)" }}
    >
      <h2 id="my-work-h">My reviews and follow-ups</h2>
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
      {work.followUps.length ? (
        <ul style={{ margin: 0, paddingLeft: "1.1rem" }}>
          {work.followUps.map((f) => (
            <li key={f.id}>
              <Link href={f.link}>{f.description}</Link>{" "}
              <span className={`small ${f.overdue ? "" : "muted"}`}>
                {f.overdue ? <span className="badge badge-NOT_MET">overdue</span> : null} due {f.dueOn || "—"}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
