import type { Dashboard } from "@/app/(dashboard)/_components/dashboard/types";

export function FailedAuthenticationSection({ alerts }: { alerts: NonNullable<Dashboard["alerts"]> }) {
  const fmt = (n: number) => n.toLocaleString("en-AU");
  return (
    <section className="card" aria-labelledby="alerts-h" style={{ marginTop: "1rem" }}>
      <h2 id="alerts-h">Failed authentication alerts</h2>
      <p className="small muted">
        {alerts.total === 0
          ? `No failed sign-ins or API token refusals in the last ${alerts.days} days.`
          : `${fmt(alerts.total)} failed sign-ins and API token refusals in the last ${alerts.days} days.`}
        {alerts.locked.length ? ` ${alerts.locked.length} account(s) locked now.` : ""}
      </p>
      {alerts.locked.length ? (
        <div className="alert alert-error" role="status" style={{ marginBottom: "0.75rem" }}>
          Locked: {alerts.locked.map((l) => `${l.email} until ${l.until.slice(11, 16)} UTC`).join("; ")}
        </div>
      ) : null}
      {alerts.accounts.length ? (
        <div className="table-wrap">
          <table className="data">
            <caption className="sr-only">Failed sign-ins by account</caption>
            <thead>
              <tr>
                <th scope="col">Account</th>
                <th scope="col">Failures</th>
                <th scope="col">Last attempt (UTC)</th>
                <th scope="col">Source addresses</th>
                <th scope="col">Reasons</th>
              </tr>
            </thead>
            <tbody>
              {alerts.accounts.map((a) => (
                <tr key={a.email}>
                  <td>{a.email}</td>
                  <td>{a.count}</td>
                  <td>{a.last.replace("T", " ").slice(0, 16)}</td>
                  <td className="mono">{a.ips.join(", ")}</td>
                  <td>{a.reasons.join(", ")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
