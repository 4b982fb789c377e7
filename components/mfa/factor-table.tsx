"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { FormMessage } from "@/components/forms/form-message";
import { useActionForm } from "@/components/forms/use-action-form";
import { regenerateRecoveryCodesAction, removeFactorAction, resetFactorsAction } from "@/lib/auth/mfa-actions";
import { RecoveryCodes } from "@/components/mfa/recovery-codes";
import type { FactorList } from "@/lib/mfa/queries";

const day = (iso: string | null) => (iso ? iso.slice(0, 16).replace("T", " ") : "never");

/**
 * A person's second factors. Their own: remove one, replace the recovery codes (`canChange` after a
 * recent sign-in). An admin's view of someone else: reset them all (the person enrols again).
 */
export function FactorTable({
  list,
  own,
  canChange,
  userId,
  name,
}: {
  list: FactorList;
  own: boolean;
  canChange: boolean;
  userId: string;
  name: string;
}) {
  const router = useRouter();
  const { message, pending, run } = useActionForm();
  const [codes, setCodes] = useState<string[] | null>(null);
  if (codes)
    return (
      <RecoveryCodes
        codes={codes}
        onDone={() => {
          setCodes(null);
          router.refresh();
        }}
      />
    );
  return (
    <div className="stack">
      <FormMessage message={message} />
      <div className="table-wrap">
        <table className="data">
          <caption className="sr-only">{own ? "Your second factors" : `Second factors of ${name}`}</caption>
          <thead>
            <tr>
              <th scope="col">Factor</th>
              <th scope="col">Kind</th>
              <th scope="col">Added (UTC)</th>
              <th scope="col">Last used (UTC)</th>
              {own ? (
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {list.factors.length === 0 ? (
              <tr>
                <td colSpan={own ? 5 : 4} className="muted">
                  No second factor yet.
                </td>
              </tr>
            ) : null}
            {list.factors.map((f) => (
              <tr key={f.id}>
                <td>{f.label}</td>
                <td>{f.kind}</td>
                <td>{day(f.createdAt)}</td>
                <td>{day(f.lastUsedAt)}</td>
                {own ? (
                  <td>
                    <button
                      type="button"
                      className="btn btn-small btn-danger"
                      disabled={pending || !canChange}
                      onClick={() =>
                        run(
                          () => removeFactorAction(f.id),
                          () => {
                            router.refresh();
                            return `Removed ${f.label}.`;
                          },
                        )
                      }
                    >
                      Remove<span className="sr-only"> {f.label}</span>
                    </button>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {list.factors.length ? (
        <p className="small">
          Recovery codes left: <strong>{list.recoveryCodesLeft}</strong>
          {list.recoveryCodesLeft < 3 ? " — replace them soon." : ""}
        </p>
      ) : null}
      {own && list.factors.length ? (
        <div>
          <button
            type="button"
            className="btn"
            disabled={pending || !canChange}
            onClick={() =>
              run(
                () => regenerateRecoveryCodesAction(),
                (data) => void setCodes(data),
              )
            }
          >
            New recovery codes
          </button>
        </div>
      ) : null}
      {!own && list.factors.length ? (
        <div>
          <button
            type="button"
            className="btn btn-danger"
            disabled={pending}
            onClick={() =>
              run(
                () => resetFactorsAction(userId),
                () => {
                  router.refresh();
                  return `Second factors of ${name} reset; their sessions have ended.`;
                },
              )
            }
          >
            Reset second factors
          </button>
          <p className="small muted">
            Removes them all and signs {name} out; where a second factor is required of them, they enrol again at their
            next sign-in.
          </p>
        </div>
      ) : null}
    </div>
  );
}
