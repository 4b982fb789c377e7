import Link from "next/link";
import type { OpenAlerts } from "@/app/(dashboard)/_components/dashboard/types";

export function ApiAlertsSection({ alerts: openAlerts }: { alerts: OpenAlerts }) {
  return (
    <section className="card" aria-labelledby="api-alerts-h" style={{ marginTop: "1rem" }}>
      <h2 id="api-alerts-h">API authentication alerts</h2>
      {openAlerts.length === 0 ? (
        <p className="small">
          No open alerts: no client or address has failed authentication on an API more often than its rule allows.
        </p>
      ) : (
        <ul>
          {openAlerts.map((a) => (
            <li key={a.id}>
              <Link href={`/apis/${a.apiId}/events`}>{a.api}</Link>: {a.failures} failures from{" "}
              {a.keyKind === "client" ? "client" : "address"} {a.keyValue} ({a.windowEnd.replace("T", " ").slice(0, 16)}{" "}
              UTC)
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
