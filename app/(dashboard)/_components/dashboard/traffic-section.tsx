import Link from "next/link";
import { API_QUIET_DAYS } from "@/lib/observed/flags";
import type { TrafficStateApi, TrafficStates } from "@/lib/observed/api-states";

const day = (iso: string) => iso.slice(0, 10);

function ApiList({
  apis,
  count,
  state,
  empty,
}: {
  apis: TrafficStateApi[];
  count: number;
  state: "ZOMBIE" | "UNUSED";
  empty: string;
}) {
  if (!apis.length) return <p className="small muted">{empty}</p>;
  return (
    <ul className="small">
      {apis.map((a) => (
        <li key={a.id}>
          <Link href={`/apis/${a.id}/events`}>{a.name}</Link> — {a.lifecycle.toLowerCase()}, last call{" "}
          {day(a.lastCallAt)}
        </li>
      ))}
      {count > apis.length ? (
        <li>
          <Link href={`/apis?traffic=${state}`}>
            and {(count - apis.length).toLocaleString("en-AU")} more in the inventory
          </Link>
        </li>
      ) : null}
    </ul>
  );
}

/** What gateway traffic says about the inventory: zombie, unused and discovered APIs. */
export function TrafficSection({ states, canManage }: { states: TrafficStates; canManage: boolean }) {
  return (
    <section className="card" aria-labelledby="traffic-h" style={{ marginBottom: "1rem" }}>
      <h2 id="traffic-h">What the traffic shows</h2>
      <h3>Zombie APIs ({states.zombieCount.toLocaleString("en-AU")})</h3>
      <p className="small muted">Deprecated or retired, and still called in the last {API_QUIET_DAYS} days.</p>
      <ApiList
        apis={states.zombies}
        count={states.zombieCount}
        state="ZOMBIE"
        empty="None: no deprecated or retired API is still being called."
      />
      <h3>Unused APIs ({states.unusedCount.toLocaleString("en-AU")})</h3>
      <p className="small muted">Active, traffic was observed, and no call for {API_QUIET_DAYS} days or more.</p>
      <ApiList
        apis={states.unused}
        count={states.unusedCount}
        state="UNUSED"
        empty="None: every active API with observed traffic is still called."
      />
      {canManage ? (
        <p className="small">
          <Link href="/traffic/routing">
            {states.discovered.toLocaleString("en-AU")} discovered API(s) waiting for a decision
          </Link>
          : called, but not in the inventory.
        </p>
      ) : null}
    </section>
  );
}
