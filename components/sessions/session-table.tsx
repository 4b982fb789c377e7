"use client";
import { useRouter } from "next/navigation";
import { FormMessage } from "@/components/forms/form-message";
import { useActionForm } from "@/components/forms/use-action-form";
import { endSessionAction, endSessionsOfPersonAction } from "@/lib/auth/session-actions";
import type { SessionRow } from "@/lib/sessions/queries";

const when = (iso: string | null) => (iso ? iso.replace("T", " ").slice(0, 16) : "");

/**
 * A person's sessions. `userId` is whose: oneself ("sign out everywhere else") or, for an admin, anyone
 * ("end all sessions"). The session in use is marked and can only be ended by signing out.
 */
export function SessionTable({ rows, userId, own }: { rows: SessionRow[]; userId: string; own: boolean }) {
  const router = useRouter();
  const { message, pending, run } = useActionForm();
  const others = rows.filter((s) => s.isOpen && !s.isCurrent).length;
  return (
    <div className="stack">
      <FormMessage message={message} />
      <div className="table-wrap">
        <table className="data">
          <caption className="sr-only">{own ? "Your sessions" : "Sessions"}</caption>
          <thead>
            <tr>
              <th scope="col">Device</th>
              <th scope="col">Address</th>
              <th scope="col">Signed in (UTC)</th>
              <th scope="col">Last seen (UTC)</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 ? (
              <tr>
                <td colSpan={6} className="muted">
                  No sessions in the last 30 days.
                </td>
              </tr>
            ) : null}
            {rows.map((s) => (
              <tr key={s.id}>
                <td>
                  <span title={s.userAgent}>{s.device}</span>
                  <div className="small muted">{s.method}</div>
                </td>
                <td className="small">{s.ip || "unknown"}</td>
                <td className="small nowrap">{when(s.createdAt)}</td>
                <td className="small nowrap">{when(s.lastSeenAt)}</td>
                <td>
                  {s.isOpen ? (
                    <span className="badge badge-MET">{s.isCurrent ? "this session" : "open"}</span>
                  ) : (
                    <>
                      <span className="badge badge-NOT_APPLICABLE">ended</span>
                      <div className="small muted">
                        {s.ended} {when(s.endedAt)}
                      </div>
                    </>
                  )}
                </td>
                <td>
                  {s.isOpen && !s.isCurrent ? (
                    <button
                      type="button"
                      className="btn btn-danger btn-small"
                      disabled={pending}
                      onClick={() =>
                        run(
                          () => endSessionAction(s.id),
                          () => {
                            router.refresh();
                            return `Ended the session on ${s.device}.`;
                          },
                        )
                      }
                    >
                      End
                      <span className="sr-only">
                        {" "}
                        the session on {s.device} from {s.ip || "an unknown address"}
                      </span>
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {others > 0 ? (
        <div>
          <button
            type="button"
            className="btn btn-danger"
            disabled={pending}
            onClick={() =>
              run(
                () => endSessionsOfPersonAction(userId),
                (data) => {
                  router.refresh();
                  return `Ended ${data.ended} session${data.ended === 1 ? "" : "s"}.`;
                },
              )
            }
          >
            {own ? "Sign out everywhere else" : "End all sessions"}
          </button>
        </div>
      ) : null}
    </div>
  );
}
