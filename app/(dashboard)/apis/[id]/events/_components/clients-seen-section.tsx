import { when, type ClientActivity } from "@/app/(dashboard)/apis/[id]/events/_components/types";

export function ClientsSeenSection({ clients }: { clients: ClientActivity }) {
  return (
    <section className="card" aria-labelledby="clients-h" style={{ marginBottom: "1rem" }}>
      <h2 id="clients-h">Clients seen</h2>
      <div className="table-wrap">
        <table className="data">
          <caption className="sr-only">Clients by last successful call</caption>
          <thead>
            <tr>
              <th scope="col">Client</th>
              <th scope="col">Last successful call (UTC)</th>
              <th scope="col">Successful calls</th>
              <th scope="col">Failures, last 30 days</th>
            </tr>
          </thead>
          <tbody>
            {clients.length === 0 ? (
              <tr>
                <td colSpan={4} className="muted">
                  No events received yet.
                </td>
              </tr>
            ) : null}
            {clients.map((c) => (
              <tr key={c.clientId}>
                <td>{c.clientId || <span className="muted">(no client id)</span>}</td>
                <td className="small nowrap">{when(c.lastSuccess)}</td>
                <td>{c.successes}</td>
                <td>{c.failures30d}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
