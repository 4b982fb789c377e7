"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { FormMessage } from "@/components/forms/form-message";
import { useActionForm } from "@/components/forms/use-action-form";
import { createTrafficRouteAction, deleteTrafficRouteAction } from "@/lib/traffic/actions";
import type { RouteRow, RouteSuggestion } from "@/lib/traffic/routing-queries";
import { SUGGESTION_TABLE } from "@/lib/traffic/list-view";
import { createContext, useContext } from "react";
import { createColumnHelper } from "@tanstack/react-table";
import { listTable, type DataTableColumn, type DataTableFeatures } from "@/components/data-table/data-table";
import type { TableParams } from "@/lib/tables/table-params";

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
                  No rules yet: each source&apos;s calls go to its own API, or are listed above as discovered APIs.
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

const suggestionColumn = createColumnHelper<DataTableFeatures, RouteSuggestion>();

/** Adds the suggested rule as it stands; the table's one message line says what happened. */
function AddSuggestedRule({ suggestion: s }: { suggestion: RouteSuggestion }) {
  const { pending, run } = useContext(SuggestionActions)!;
  const router = useRouter();
  return (
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
  );
}
const SuggestionActions = createContext<Pick<ReturnType<typeof useActionForm>, "pending" | "run"> | null>(null);

const SUGGESTION_COLUMNS = [
  suggestionColumn.accessor((s) => `${s.host}${s.pathPrefix}`, {
    id: "host",
    header: "Host and path prefix",
    cell: (info) => <code>{info.getValue()}</code>,
  }),
  suggestionColumn.accessor("api", {
    id: "api",
    header: "API",
    cell: ({ row: { original: s } }) => <Link href={`/apis/${s.apiId}`}>{s.api}</Link>,
  }),
  suggestionColumn.accessor("team", { id: "team", header: "Team" }),
  suggestionColumn.accessor("from", {
    id: "from",
    header: "From",
    cell: (info) => <span className="small">its {info.getValue()}</span>,
  }),
  suggestionColumn.display({
    id: "add",
    header: "Action",
    cell: ({ row: { original: s } }) => <AddSuggestedRule suggestion={s} />,
  }),
] as DataTableColumn<RouteSuggestion>[];

const SuggestionTable = listTable({
  caption: "Suggested routing rules",
  columns: SUGGESTION_COLUMNS,
  spec: SUGGESTION_TABLE,
  rowId: (s) => `${s.teamId} ${s.apiId} ${s.host} ${s.pathPrefix}`,
  empty: "Every API's base URLs and OpenAPI description servers have a rule.",
});

/**
 * Rules suggested from the APIs' base URLs and OpenAPI descriptions (servers and paths) that no rule
 * covers yet, each saying where it comes from: one click adds one. Paged and sorted by the server, so
 * 50,000 APIs' suggestions are a page of them.
 */
export function RouteSuggestions(props: { rows: RouteSuggestion[]; total: number; view: TableParams }) {
  const { message, pending, run } = useActionForm();
  return (
    <div className="stack" style={{ gap: "0.5rem" }}>
      <FormMessage message={message} />
      <SuggestionActions.Provider value={{ pending, run }}>
        <SuggestionTable {...props} />
      </SuggestionActions.Provider>
    </div>
  );
}
