"use client";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { resetPasswordAction, updateUserAction } from "@/lib/users/actions";
import { ROLE_LABELS, type TUserUpdate } from "@/lib/users/schemas";
import { ROLES, type Role } from "@/lib/authz/policy";
import { OneTimePassword } from "@/components/users/one-time-password";
import { RecordOptions } from "@/components/forms/field";

type User = {
  id: string;
  email: string;
  name: string;
  role: Role;
  isActive: boolean;
  isDemo: boolean;
  isLocked: boolean;
  lastSignInAt: string | null;
  lastTrainedOn: string | null;
  team: { id: string; name: string } | null;
};

export function UserRow({
  user,
  teams,
  canManage,
  isSelf,
}: {
  user: User;
  teams: { id: string; name: string }[];
  canManage: boolean;
  isSelf: boolean;
}) {
  const router = useRouter();
  const [value, setValue] = useState<TUserUpdate>({
    name: user.name,
    role: user.role,
    teamId: user.team?.id ?? "",
    isActive: user.isActive,
  });
  const [message, setMessage] = useState<{ kind: "ok" | "error"; text: string } | null>(null);
  const [password, setPassword] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const dirty = value.role !== user.role || value.teamId !== (user.team?.id ?? "") || value.isActive !== user.isActive;
  const idBase = `user-${user.id}`;

  return (
    <tr>
      <td>
        <strong>{user.name}</strong>
        <div className="small muted">{user.email}</div>
        {user.isDemo ? <span className="badge badge-CANNOT_JUDGE">demo</span> : null}{" "}
        {user.isLocked ? <span className="badge badge-NOT_MET">locked</span> : null}
      </td>
      <td>
        {canManage ? (
          <>
            <label className="sr-only" htmlFor={`${idBase}-role`}>
              Role of {user.name}
            </label>
            <select
              id={`${idBase}-role`}
              value={value.role}
              disabled={isSelf}
              onChange={(e) => setValue({ ...value, role: e.target.value as Role })}
            >
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {ROLE_LABELS[r]}
                </option>
              ))}
            </select>
          </>
        ) : (
          ROLE_LABELS[user.role]
        )}
      </td>
      <td>
        {canManage ? (
          <>
            <label className="sr-only" htmlFor={`${idBase}-team`}>
              Team of {user.name}
            </label>
            <select
              id={`${idBase}-team`}
              value={value.teamId}
              onChange={(e) => setValue({ ...value, teamId: e.target.value })}
            >
              <RecordOptions records={teams} empty="No team" />
            </select>
          </>
        ) : (
          (user.team?.name ?? "—")
        )}
      </td>
      <td>
        {canManage ? (
          <label className="row small">
            <input
              type="checkbox"
              checked={value.isActive}
              disabled={isSelf}
              onChange={(e) => setValue({ ...value, isActive: e.target.checked })}
            />
            Active
          </label>
        ) : user.isActive ? (
          "Active"
        ) : (
          "Deactivated"
        )}
      </td>
      <td className="small">{user.lastSignInAt ? user.lastSignInAt.replace("T", " ").slice(0, 16) : "never"}</td>
      <td className="small nowrap">{user.lastTrainedOn ?? "never"}</td>
      {canManage ? (
        <td>
          <div className="row">
            <button
              type="button"
              className="btn btn-small btn-primary"
              disabled={!dirty || pending}
              onClick={() =>
                startTransition(async () => {
                  const result = await updateUserAction(user.id, value);
                  setMessage(result.ok ? { kind: "ok", text: "Saved." } : { kind: "error", text: result.message });
                  if (result.ok) router.refresh();
                })
              }
            >
              Save
            </button>
            <button
              type="button"
              className="btn btn-small"
              disabled={pending}
              onClick={() =>
                startTransition(async () => {
                  const result = await resetPasswordAction(user.id);
                  if (result.ok) setPassword(result.data.oneTimePassword);
                  else setMessage({ kind: "error", text: result.message });
                  router.refresh();
                })
              }
            >
              Reset password
            </button>
          </div>
          <div aria-live="polite">
            {message ? (
              <span
                className={`small ${message.kind === "error" ? "error" : ""}`}
                role={message.kind === "error" ? "alert" : undefined}
              >
                {message.text}
              </span>
            ) : null}
            {password ? <OneTimePassword email={user.email} password={password} /> : null}
          </div>
        </td>
      ) : null}
    </tr>
  );
}
