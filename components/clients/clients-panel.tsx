"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { FormMessage } from "@/components/forms/form-message";
import { ConfirmDialog } from "@/components/forms/confirm-dialog";
import { useActionForm } from "@/components/forms/use-action-form";
import { ClientForm } from "@/components/clients/client-form";
import { GrantFlags } from "@/components/clients/grant-flags";
import { CLIENT_LABELS } from "@/lib/clients/enums";
import { EMPTY_CLIENT_INPUT } from "@/lib/clients/schemas";
import { toClientInput, type ClientView } from "@/lib/clients/record";
import { deleteClientAction } from "@/lib/clients/actions";

export function ClientsPanel({
  apiId,
  clients,
  canManage,
  rotationDays,
}: {
  apiId: string;
  clients: ClientView[];
  canManage: boolean;
  rotationDays: number;
}) {
  const router = useRouter();
  const [editing, setEditing] = useState<string | "new" | null>(null);
  const [removing, setRemoving] = useState<ClientView | null>(null);
  const { message, pending, run } = useActionForm();
  const flagged = clients.filter((c) => c.flags.length > 0).length;
  return (
    <div className="stack">
      <p className="small muted">
        {clients.length === 0
          ? "No clients recorded yet."
          : `${clients.length} client${clients.length === 1 ? "" : "s"}; ${flagged} with something to review.`}{" "}
        Rotation period: {rotationDays} days.
        {canManage ? (
          <>
            {" "}
            <Link href={`/apis/clients/import`}>Import clients from CSV</Link>
          </>
        ) : null}
      </p>
      <FormMessage message={message} />
      {clients.length ? (
        <div className="table-wrap">
          <table className="data">
            <caption className="sr-only">Clients allowed to call this API</caption>
            <thead>
              <tr>
                <th scope="col">Client</th>
                <th scope="col">Credential</th>
                <th scope="col">Scopes</th>
                <th scope="col">Approved</th>
                <th scope="col">Credential dates</th>
                <th scope="col">Last seen</th>
                <th scope="col">Review flags</th>
                {canManage ? <th scope="col">Actions</th> : null}
              </tr>
            </thead>
            <tbody>
              {clients.map((c) =>
                editing === c.id ? (
                  <tr key={c.id}>
                    <td colSpan={canManage ? 8 : 7}>
                      <ClientForm
                        apiId={apiId}
                        initial={toClientInput(c)}
                        mode={{ kind: "edit", id: c.id, version: c.version }}
                        onDone={() => setEditing(null)}
                      />
                    </td>
                  </tr>
                ) : (
                  <tr key={c.id}>
                    <td>
                      <strong>{c.name}</strong>
                      <div className="small muted">{CLIENT_LABELS.kind[c.kind]}</div>
                    </td>
                    <td>{CLIENT_LABELS.credentialType[c.credentialType]}</td>
                    <td>
                      {c.scopes.join(", ") || <span className="muted">—</span>}
                      {c.canModify ? (
                        <div className="small">
                          <span className="badge badge-neutral">may modify data</span>
                        </div>
                      ) : null}
                    </td>
                    <td className="small">
                      {c.approvedBy ? (
                        `${c.approvedBy}${c.approvedAt ? `, ${c.approvedAt}` : ""}`
                      ) : (
                        <span className="muted">—</span>
                      )}
                    </td>
                    <td className="small">
                      {c.credentialIssuedAt ? <div>issued {c.credentialIssuedAt}</div> : null}
                      {c.credentialRotatedAt ? <div>rotated {c.credentialRotatedAt}</div> : null}
                      {c.credentialExpiresAt ? <div>expires {c.credentialExpiresAt}</div> : null}
                    </td>
                    <td className="small">{c.lastSeenAt || <span className="muted">unknown</span>}</td>
                    <td>
                      <GrantFlags flags={c.flags} />
                    </td>
                    {canManage ? (
                      <td>
                        <div className="row">
                          <button
                            type="button"
                            className="btn btn-small"
                            onClick={() => setEditing(c.id)}
                            aria-label={`Edit client ${c.name}`}
                          >
                            Edit
                          </button>
                          <button
                            type="button"
                            className="btn btn-small btn-danger"
                            disabled={pending}
                            aria-label={`Remove client ${c.name}`}
                            onClick={() => setRemoving(c)}
                          >
                            Remove
                          </button>
                        </div>
                      </td>
                    ) : null}
                  </tr>
                ),
              )}
            </tbody>
          </table>
        </div>
      ) : null}
      <ConfirmDialog
        open={removing !== null}
        title={`Remove ${removing?.name ?? "the client"}’s access?`}
        confirmLabel="Remove access"
        onCancel={() => setRemoving(null)}
        onConfirm={() => {
          const client = removing!;
          setRemoving(null);
          run(
            () => deleteClientAction(apiId, client.id),
            () => {
              router.refresh();
              return `Removed ${client.name}’s access.`;
            },
          );
        }}
      >
        <p>
          The grant is removed from the API now. It stays in the audit log, and in the snapshots of reviews that
          included it.
        </p>
      </ConfirmDialog>
      {canManage ? (
        editing === "new" ? (
          <div className="card">
            <h3>New client</h3>
            <ClientForm
              apiId={apiId}
              initial={EMPTY_CLIENT_INPUT}
              mode={{ kind: "create" }}
              onDone={() => setEditing(null)}
            />
          </div>
        ) : (
          <div>
            <button type="button" className="btn" onClick={() => setEditing("new")}>
              Add a client
            </button>
          </div>
        )
      ) : null}
    </div>
  );
}
