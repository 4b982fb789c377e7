import type { Metadata } from "next";
import { requireActor } from "@/lib/auth/current-actor";
import { can, canSometimes } from "@/lib/authz/policy";
import { listTeams, listUsers } from "@/lib/users/queries";
import { Forbidden } from "@/components/layout/forbidden";
import { CreateUserForm } from "@/components/users/create-user-form";
import { UserRow } from "@/components/users/user-row";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage() {
  const actor = await requireActor();
  if (!canSometimes(actor, "user:read")) return <Forbidden message="Your role cannot see the list of users." />;
  const [users, teams] = await Promise.all([listUsers(actor), listTeams(actor)]);
  const canManage = can(actor, "user:manage");
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Users</h1>
          <p>{canManage ? "Create accounts, assign roles and teams, deactivate leavers and reset passwords. Every change is audited." : "People with access to ApiLedger."}</p>
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
              {canManage ? <th scope="col">Actions</th> : null}
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <UserRow key={u.id} user={{ ...u, role: u.role as never }} teams={teams} canManage={canManage} isSelf={u.id === actor?.id} />
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
