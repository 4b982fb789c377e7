import type { Metadata } from "next";
import { requireActor } from "@/lib/auth/current-actor";
import { can, canSometimes } from "@/lib/authz/policy";
import { listTeamsWithCounts, listUsers } from "@/lib/users/queries";
import { Forbidden } from "@/components/layout/forbidden";
import { CreateUserForm } from "@/components/users/create-user-form";
import { UserRow } from "@/components/users/user-row";
import { CreateTeamForm } from "@/components/users/create-team-form";

export const metadata: Metadata = { title: "Users and teams" };

export default async function UsersPage() {
  const actor = await requireActor();
  if (!canSometimes(actor, "user:read")) return <Forbidden message="Your role cannot see the list of users." />;
  const [users, teams] = await Promise.all([listUsers(actor), listTeamsWithCounts(actor)]);
  const canManage = can(actor, "user:manage");
  const canManageTeams = can(actor, "team:manage");
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Users and teams</h1>
          <p>
            {canManage
              ? "Create accounts, assign roles and teams, deactivate leavers and reset passwords. Every change is audited."
              : "People with access to ApiLedger."}
          </p>
        </div>
      </div>
      {canManage ? (
        <section className="card" aria-labelledby="new-user-h" style={{ marginBottom: "1rem" }}>
          <h2 id="new-user-h">New user</h2>
          <CreateUserForm teams={teams} />
        </section>
      ) : null}
      <div className="table-wrap">
        <table className="data">
          <caption className="sr-only">Users</caption>
          <thead>
            <tr>
              <th scope="col">Person</th>
              <th scope="col">Role</th>
              <th scope="col">Team</th>
              <th scope="col">Status</th>
              <th scope="col">Last sign-in (UTC)</th>
              <th scope="col">Last API-security training</th>
              {canManage ? <th scope="col">Actions</th> : null}
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <UserRow
                key={u.id}
                user={{ ...u, role: u.role as never }}
                teams={teams}
                canManage={canManage}
                isSelf={u.id === actor?.id}
              />
            ))}
          </tbody>
        </table>
      </div>
      <section className="card stack" aria-labelledby="teams-h" style={{ marginTop: "1rem" }}>
        <h2 id="teams-h">Teams</h2>
        <div className="table-wrap">
          <table className="data">
            <caption className="sr-only">Teams</caption>
            <thead>
              <tr>
                <th scope="col">Team</th>
                <th scope="col">People</th>
                <th scope="col">APIs</th>
              </tr>
            </thead>
            <tbody>
              {teams.map((t) => (
                <tr key={t.id}>
                  <td>
                    <strong>{t.name}</strong>
                    {t.description ? <div className="small muted">{t.description}</div> : null}
                  </td>
                  <td>{t.users}</td>
                  <td>
                    <a href={`/apis?team=${t.id}`}>{t.apis}</a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {canManageTeams ? (
          <>
            <h3>New team</h3>
            <CreateTeamForm />
          </>
        ) : null}
      </section>
    </>
  );
}
