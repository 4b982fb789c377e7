import type { Metadata } from "next";
import Link from "next/link";
import { requireActor } from "@/lib/auth/current-actor";
import { canSometimes } from "@/lib/authz/policy";
import { getTrainingCoverage, listTrainingSessions } from "@/lib/training/queries";
import { parseTrainingView } from "@/lib/training/list-view";
import type { SearchParamsRecord } from "@/lib/tables/table-params";
import { CoverageBar } from "@/components/training/coverage-bar";
import { SessionTable } from "@/components/training/session-table";

export const metadata: Metadata = { title: "Training" };

export default async function TrainingPage({ searchParams }: { searchParams: Promise<SearchParamsRecord> }) {
  const view = parseTrainingView(await searchParams);
  const actor = await requireActor();
  const [sessions, coverage] = await Promise.all([listTrainingSessions(actor, view), getTrainingCoverage(actor)]);
  const canManage = canSometimes(actor, "training:manage");
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Training</h1>
          <p>
            API-security training sessions and who attended. Everyone who owns an API or reviews access should have been
            trained in the last 12 months.
          </p>
        </div>
        {canManage ? (
          <div className="row">
            <Link className="btn" href="/training/import">
              Import attendance (CSV)
            </Link>
            <Link className="btn btn-primary" href="/training/new">
              Record a session
            </Link>
          </div>
        ) : null}
      </div>
      <section className="card" aria-labelledby="coverage-h" style={{ marginBottom: "1rem" }}>
        <h2 id="coverage-h">Coverage</h2>
        <CoverageBar coverage={coverage} />
      </section>
      <section aria-labelledby="sessions-h" style={{ marginBottom: "1rem" }}>
        <h2 id="sessions-h">Sessions</h2>
        <SessionTable rows={sessions.rows} total={sessions.total} view={view} />
      </section>
      <section aria-labelledby="people-h">
        <h2 id="people-h">API owners and reviewers</h2>
        <div className="table-wrap">
          <table className="data">
            <caption className="sr-only">People who must be trained, with their last API-security training</caption>
            <thead>
              <tr>
                <th scope="col">Person</th>
                <th scope="col">Why</th>
                <th scope="col">Last API-security training</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {coverage.people.length === 0 ? (
                <tr>
                  <td colSpan={4} className="muted">
                    Nobody owns an API or reviews access yet.
                  </td>
                </tr>
              ) : null}
              {coverage.people.map((p) => (
                <tr key={p.id}>
                  <td>
                    {p.name}
                    <div className="small muted">{p.email}</div>
                  </td>
                  <td className="small">
                    {p.roles.map((r) => (r === "owner" ? "API owner" : "access reviewer")).join(", ")}
                  </td>
                  <td className="nowrap">{p.lastTrained || "never"}</td>
                  <td>
                    {p.isCurrent ? (
                      <span className="badge badge-MET">Trained</span>
                    ) : (
                      <span className="badge badge-NOT_MET">Due</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
