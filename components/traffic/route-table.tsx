"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { FormMessage } from "@/components/forms/form-message";
import { useActionForm } from "@/components/forms/use-action-form";
import { createTrafficRouteAction, deleteTrafficRouteAction } from "@/lib/traffic/actions";
import type { RouteRow, RouteSuggestion } from "@/lib/traffic/routing-queries";

const any = <span className="muted">any</span>;

/** The rules, each team's in the order they are tried, with a delete button each. */
export function RouteTable({ rules }: { rules: RouteRow[] }) {
  const router = useRouter();
  const { message, pending, run } = useActionForm();
  return (
    <div className="stack" style={{ gap: "0.5rem" }}>
      <FormMessage message={message} />
      <div className="table-wrap">
        <table className="data">
          <caption className="sr-only">Routing rules, in the order they are tried</caption>
          <thead>
            <tr>
              <th scope="col">Team</th>
              <th scope="col">Gateway route</th>
              <th scope="col">Host</th>
              <th scope="col">Path prefix</th>
              <th scope="col">API</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rules.length === 0 ? (
              <tr>
                <td colSpan={6} className="muted">
                  No rules yet: each source&apos;s calls go to its own API, or are discovered below.
                </td>
              </tr>
            ) : null}
            {rules.map((r) => (
              <tr key={r.id}>
                <td>{r.team}</td>
                <td>{r.gatewayRoute ? <code>{r.gatewayRoute}</code> : any}</td>
                <td>{r.host ? <code>{r.host}</code> : any}</td>
                <td>{r.pathPrefix ? <code>{r.pathPrefix}</code> : any}</td>
                <td>
                  <Link href={`/apis/${r.api.id}/events`}>{r.api.name}</Link>
                  {r.api.retired ? <span className="small muted"> (retired: the rule routes nothing)</span> : null}
                </td>
                <td>
                  <button
                    type="button"
                    className="btn btn-small"
                    disabled={pending}
                    aria-label={`Delete the rule for ${[r.gatewayRoute, r.host, r.pathPrefix].filter(Boolean).join(" ")}`}
                    onClick={() =>
                      run(
                        () => deleteTrafficRouteAction(r.id),
                        () => {
                          router.refresh();
                          return "Rule deleted.";
                        },
                      )
                    }
                  >
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/**
 * Rules suggested from the APIs' base URLs and OpenAPI descriptions (servers and paths) that no rule
 * covers yet, each saying where it comes from: one click adds one.
 */
export function RouteSuggestions({ suggestions }: { suggestions: RouteSuggestion[] }) {
  const router = useRouter();
  const { message, pending, run } = useActionForm();
  if (!suggestions.length)
    return <p className="muted">Every API&apos;s base URLs and OpenAPI description servers have a rule.</p>;
  return (
    <div className="stack" style={{ gap: "0.5rem" }}>
      <FormMessage message={message} />
      <ul className="plain-list">
        {suggestions.map((s) => (
          <li key={`${s.apiId} ${s.host} ${s.pathPrefix}`} className="row" style={{ justifyContent: "space-between" }}>
            <span>
              <code>
                {s.host}
                {s.pathPrefix}
              </code>{" "}
              → {s.api}{" "}
              <span className="small muted">
                ({s.team}; its {s.from})
              </span>
            </span>
            <button
              type="button"
              className="btn btn-small"
              disabled={pending}
              aria-label={`Add the rule ${s.host}${s.pathPrefix} to ${s.api}`}
              onClick={() =>
                run(
                  () =>
                    createTrafficRouteAction({
                      teamId: s.teamId,
                      apiId: s.apiId,
                      host: s.host,
                      pathPrefix: s.pathPrefix,
                      gatewayRoute: "",
                    }),
                  () => {
                    router.refresh();
                    return `Rule added: ${s.host}${s.pathPrefix} goes to ${s.api}.`;
                  },
                )
              }
            >
              Add rule
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
