import type { Metadata } from "next";
import { forbidden } from "next/navigation";
import { requireActor } from "@/lib/auth/current-actor";
import { can, canSometimes } from "@/lib/authz/policy";
import { listTeamsWithCounts, listUsers } from "@/lib/users/queries";
import { CreateUserForm } from "@/components/users/create-user-form";
import { UserTable } from "@/components/users/user-table";
import { parseUserView } from "@/lib/users/list-view";
import type { SearchParamsRecord } from "@/lib/tables/table-params";
import { CreateTeamForm } from "@/components/users/create-team-form";

export const metadata: Metadata = { title: "Users and teams" };

export default async function UsersPage({ searchParams }: { searchParams: Promise<SearchParamsRecord> }) {
  const view = parseUserView(await searchParams);
  const actor = await requireActor();
  if (!canSometimes(actor, "user:read")) forbidden();
  const [users, teams] = await Promise.all([listUsers(actor, view), listTeamsWithCounts(actor)]);
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
      <UserTable
        rows={users.rows}
        total={users.total}
        view={view}
        teams={teams}
        canManage={canManage}
        selfId={actor?.id ?? null}
      />
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
