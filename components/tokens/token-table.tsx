"use client";
import { useRouter } from "next/navigation";
import { FormMessage } from "@/components/forms/form-message";
import { useActionForm } from "@/components/forms/use-action-form";
import { revokeTokenAction } from "@/lib/tokens/actions";
import type { TokenRow } from "@/lib/tokens/queries";

const when = (iso: string | null) => (iso ? iso.replace("T", " ").slice(0, 16) : "never");

export function TokenTable({ tokens, caption }: { tokens: TokenRow[]; caption: string }) {
  const router = useRouter();
  const { message, pending, run } = useActionForm();
  return (
    <div className="table-wrap">
      <FormMessage message={message} />
      <table className="data">
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Token</th>
            <th scope="col">Scopes</th>
            <th scope="col">Expires (UTC)</th>
            <th scope="col">Last used (UTC)</th>
            <th scope="col">Status</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {tokens.length === 0 ? (
            <tr>
              <td colSpan={6} className="muted">
                No tokens.
              </td>
            </tr>
          ) : null}
          {tokens.map((t) => (
            <tr key={t.id}>
              <td>
                {t.name}
                <div className="small muted">
                  <code>{t.prefix}…</code>
                  {t.team ? ` · ${t.team} only` : ""}
                </div>
              </td>
              <td className="small">{t.scopes.join(", ")}</td>
              <td className="small nowrap">{when(t.expiresAt)}</td>
              <td className="small">
                {when(t.lastUsedAt)}
                {t.lastUsedIp ? <div className="muted">from {t.lastUsedIp}</div> : null}
              </td>
              <td>
                <span className={`badge ${t.status === "active" ? "badge-MET" : "badge-NOT_APPLICABLE"}`}>
                  {t.status}
                </span>
              </td>
              <td>
                {t.status === "active" ? (
                  <button
                    type="button"
                    className="btn btn-danger btn-small"
                    disabled={pending}
                    onClick={() =>
                      run(
                        () => revokeTokenAction(t.id),
                        () => {
                          router.refresh();
                          return `Revoked ${t.name}.`;
                        },
                      )
                    }
                  >
                    Revoke {t.name}
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
