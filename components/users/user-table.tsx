"use client";
import { useRouter } from "next/navigation";
import { createContext, useContext, useMemo, useState } from "react";
import { FormMessage } from "@/components/forms/form-message";
import { useActionForm } from "@/components/forms/use-action-form";
import { createColumnHelper } from "@tanstack/react-table";
import { DataTable, type DataTableColumn, type DataTableFeatures } from "@/components/data-table/data-table";
import { OneTimePassword } from "@/components/users/one-time-password";
import { RecordOptions } from "@/components/forms/field";
import { resetPasswordAction, updateUserAction } from "@/lib/users/actions";
import { ROLE_LABELS, type TUserUpdate } from "@/lib/users/schemas";
import { USER_TABLE, type UserView } from "@/lib/users/list-view";
import { ROLES, type Role } from "@/lib/authz/policy";
import type { UserRow } from "@/lib/users/queries";

type Team = { id: string; name: string };

// A manager edits role, team and status in place; the row's draft is shared by its cells until saved.
type Drafts = {
  teams: Team[];
  selfId: string | null;
  draftOf: (user: UserRow) => TUserUpdate;
  change: (user: UserRow, patch: Partial<TUserUpdate>) => void;
  saved: (user: UserRow) => void;
};
const DraftsContext = createContext<Drafts | null>(null);
const useDrafts = () => useContext(DraftsContext)!;

const stored = (user: UserRow): TUserUpdate => ({
  name: user.name,
  role: user.role,
  teamId: user.team?.id ?? "",
  isActive: user.isActive,
});

const helper = createColumnHelper<DataTableFeatures, UserRow>();

function columnsFor(canManage: boolean) {
  return [
    helper.accessor("name", {
      id: "name",
      header: "Person",
      cell: ({ row: { original: u } }) => (
        <>
          {canManage ? (
            <a href={`/users/${u.id}`} aria-label={`${u.name}: sessions and tokens`}>
              <strong>{u.name}</strong>
            </a>
          ) : (
            <strong>{u.name}</strong>
          )}
          <div className="small muted">{u.email}</div>
          {u.isDemo ? <span className="badge badge-CANNOT_JUDGE">demo</span> : null}{" "}
          {u.isLocked ? <span className="badge badge-NOT_MET">locked</span> : null}
        </>
      ),
    }),
    helper.accessor("role", {
      id: "role",
      header: "Role",
      cell: ({ row: { original: u } }) => (canManage ? <RoleSelect user={u} /> : ROLE_LABELS[u.role]),
    }),
    helper.accessor((u) => u.team?.name ?? "", {
      id: "team",
      header: "Team",
      cell: ({ row: { original: u } }) => (canManage ? <TeamSelect user={u} /> : (u.team?.name ?? "—")),
    }),
    helper.accessor("isActive", {
      id: "status",
      header: "Status",
      cell: ({ row: { original: u } }) =>
        canManage ? <ActiveToggle user={u} /> : u.isActive ? "Active" : "Deactivated",
    }),
    helper.accessor("lastSignInAt", {
      id: "lastSignInAt",
      header: "Last sign-in (UTC)",
      cell: (info) => <span className="small">{info.getValue()?.replace("T", " ").slice(0, 16) ?? "never"}</span>,
    }),
    helper.accessor("lastTrainedOn", {
      id: "lastTrainedOn",
      header: "Last API-security training",
      cell: (info) => <span className="small nowrap">{info.getValue() ?? "never"}</span>,
    }),
    ...(canManage
      ? [
          helper.display({
            id: "actions",
            header: "Actions",
            cell: ({ row: { original: u } }) => <UserActions user={u} />,
          }),
        ]
      : []),
  ] as DataTableColumn<UserRow>[];
}

export function UserTable({
  rows,
  total,
  view,
  teams,
  canManage,
  selfId,
}: {
  rows: UserRow[];
  total: number;
  view: UserView;
  teams: Team[];
  canManage: boolean;
  selfId: string | null;
}) {
  const [drafts, setDrafts] = useState<Record<string, TUserUpdate>>({});
  const columns = useMemo(() => columnsFor(canManage), [canManage]);
  const context: Drafts = {
    teams,
    selfId,
    draftOf: (user) => drafts[user.id] ?? stored(user),
    change: (user, patch) => setDrafts((d) => ({ ...d, [user.id]: { ...(d[user.id] ?? stored(user)), ...patch } })),
    saved: (user) =>
      setDrafts((d) => {
        const { [user.id]: _saved, ...rest } = d;
        return rest;
      }),
  };
  return (
    <DraftsContext.Provider value={context}>
      <DataTable
        caption="Users"
        columns={columns}
        data={rows}
        rowCount={total}
        params={view}
        spec={USER_TABLE}
        getRowId={(row) => row.id}
        emptyMessage={<p className="muted">No people yet.</p>}
      />
    </DraftsContext.Provider>
  );
}

function RoleSelect({ user }: { user: UserRow }) {
  const { draftOf, change, selfId } = useDrafts();
  const id = `user-${user.id}-role`;
  return (
    <>
      <label className="sr-only" htmlFor={id}>
        Role of {user.name}
      </label>
      <select
        id={id}
        value={draftOf(user).role}
        disabled={user.id === selfId}
        onChange={(e) => change(user, { role: e.target.value as Role })}
      >
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {ROLE_LABELS[r]}
          </option>
        ))}
      </select>
    </>
  );
}

function TeamSelect({ user }: { user: UserRow }) {
  const { draftOf, change, teams } = useDrafts();
  const id = `user-${user.id}-team`;
  return (
    <>
      <label className="sr-only" htmlFor={id}>
        Team of {user.name}
      </label>
      <select id={id} value={draftOf(user).teamId} onChange={(e) => change(user, { teamId: e.target.value })}>
        <RecordOptions records={teams} empty="No team" />
      </select>
    </>
  );
}

function ActiveToggle({ user }: { user: UserRow }) {
  const { draftOf, change, selfId } = useDrafts();
  return (
    <label className="row small">
      <input
        type="checkbox"
        checked={draftOf(user).isActive}
        disabled={user.id === selfId}
        onChange={(e) => change(user, { isActive: e.target.checked })}
      />
      Active
    </label>
  );
}

function UserActions({ user }: { user: UserRow }) {
  const router = useRouter();
  const { draftOf, saved } = useDrafts();
  const { message, pending, run } = useActionForm();
  const [password, setPassword] = useState<string | null>(null);
  const draft = draftOf(user);
  const before = stored(user);
  const dirty = draft.role !== before.role || draft.teamId !== before.teamId || draft.isActive !== before.isActive;
  return (
    <>
      <div className="row">
        <button
          type="button"
          className="btn btn-small btn-primary"
          disabled={!dirty || pending}
          onClick={() =>
            run(
              () => updateUserAction(user.id, draft),
              () => {
                saved(user);
                router.refresh();
                return "Saved.";
              },
            )
          }
        >
          Save
        </button>
        <button
          type="button"
          className="btn btn-small"
          disabled={pending}
          onClick={() =>
            run(
              () => resetPasswordAction(user.id),
              ({ oneTimePassword }) => {
                setPassword(oneTimePassword);
                router.refresh();
              },
            )
          }
        >
          Reset password
        </button>
      </div>
      <div aria-live="polite">
        <FormMessage message={message} />
        {password ? <OneTimePassword email={user.email} password={password} /> : null}
      </div>
    </>
  );
}
