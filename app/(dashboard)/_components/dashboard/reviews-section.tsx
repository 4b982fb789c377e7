import Link from "next/link";
import { CHART_COLORS, StackedBar } from "@/components/charts/stacked-bar";
import type { ReviewSummary } from "@/app/(dashboard)/_components/dashboard/types";

export function ReviewsSection({ reviews }: { reviews: ReviewSummary }) {
  return (
    <section className="card" aria-labelledby="reviews-h" style={{ marginTop: "1rem" }}>
      <h2 id="reviews-h">Access reviews</h2>
      {reviews.quarters.length === 0 ? (
        <p className="muted">
          No review campaign yet. <Link href="/reviews">Access reviews</Link>
        </p>
      ) : (
        <div className="grid grid-2">
          <div>
            <p className="small muted">Coverage: in-scope APIs with a signed-off review, by quarter.</p>
            {reviews.quarters.map((q) => (
              <div key={q.quarter} className="control-row" style={{ gridTemplateColumns: "80px 1fr" }}>
                <strong className="small">{q.quarter}</strong>
                <div className="stack" style={{ gap: "0.2rem" }}>
                  <StackedBar
                    label={`${q.quarter} coverage`}
                    segments={[
                      { label: "Signed off", value: q.signedOff, color: CHART_COLORS.met },
                      { label: "Not signed off", value: q.total - q.signedOff, color: CHART_COLORS.neutral },
                    ]}
                  />
                  <span className="small">
                    {Math.round(q.coverage * 100)}% ({q.signedOff} of {q.total})
                  </span>
                </div>
              </div>
            ))}
          </div>
          <div>
            <p className="small muted">
              Overdue reviews this quarter and open follow-ups (overdue ones past their due date), by team.
            </p>
            {reviews.byTeam.length === 0 ? (
              <p className="small">Nothing overdue or open.</p>
            ) : (
              <table className="data">
                <caption className="sr-only">Overdue reviews and open follow-ups by team</caption>
                <thead>
                  <tr>
                    <th scope="col">Team</th>
                    <th scope="col">Overdue reviews</th>
                    <th scope="col">Open follow-ups</th>
                    <th scope="col">Overdue follow-ups</th>
                  </tr>
                </thead>
                <tbody>
                  {reviews.byTeam.map((t) => (
                    <tr key={t.team}>
                      <td>{t.team}</td>
                      <td>{t.overdue}</td>
                      <td>{t.openFollowUps}</td>
                      <td>
                        {t.overdueFollowUps ? <span className="badge badge-NOT_MET">{t.overdueFollowUps}</span> : 0}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </div>
        </div>
      )}
    </section>
  );
}
