import type { Metadata } from "next";
import { forbidden, notFound } from "next/navigation";
import { requireActor } from "@/lib/auth/current-actor";
import { can } from "@/lib/authz/policy";
import { ZId } from "@/lib/input/validation";
import { getUserName } from "@/lib/users/queries";
import { listSessionsOf } from "@/lib/sessions/queries";
import { listTokensOf } from "@/lib/tokens/queries";
import { SessionTable } from "@/components/sessions/session-table";
import { TokenTable } from "@/components/tokens/token-table";
import { listFactorsOf } from "@/lib/mfa/queries";
import { FactorTable } from "@/components/mfa/factor-table";

export const metadata: Metadata = { title: "Sessions, factors and tokens" };

/** An admin's view of one person's access: end their sessions, revoke their tokens (a leaver, a theft). */
export default async function UserAccessPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requireActor();
  const id = ZId.safeParse((await params).id);
  if (!id.success) notFound();
  if (
    !can(actor, "session:manage-any", { ownerId: id.data }) ||
    !can(actor, "token:revoke-any", { ownerId: id.data }) ||
    !can(actor, "mfa:reset-any", { ownerId: id.data })
  )
    forbidden();
  const user = await getUserName(actor, id.data);
  if (!user) notFound();
  const own = user.id === actor.id;
  const [sessions, tokens, factors] = await Promise.all([
    listSessionsOf(actor, user.id),
    listTokensOf(actor, user.id),
    listFactorsOf(actor, user.id),
  ]);
  return (
    <>
      <div className="page-head">
        <div>
          <p className="small">
            <a href="/users">Users and teams</a>
          </p>
          <h1>{user.name}</h1>
          <p>
            {user.email}
            {user.isActive ? "" : " · deactivated"}. End sessions to sign {user.name} out everywhere at once; revoke a
            token to refuse its next call. Both are audited.
          </p>
        </div>
      </div>
      <section aria-labelledby="sessions-h" style={{ marginBottom: "1rem" }}>
        <h2 id="sessions-h">Sessions</h2>
        <SessionTable rows={sessions} userId={user.id} own={own} />
      </section>
      <section aria-labelledby="factors-h" style={{ marginBottom: "1rem" }}>
        <h2 id="factors-h">Second factors</h2>
        {own ? (
          <p className="small">
            Manage your own on <a href="/account/security">Second factors</a>.
          </p>
        ) : (
          <FactorTable list={factors} own={false} canChange={false} userId={user.id} name={user.name} />
        )}
      </section>
      <section aria-labelledby="tokens-h">
        <h2 id="tokens-h">API tokens</h2>
        <TokenTable tokens={tokens} caption={`API tokens of ${user.name}`} />
      </section>
    </>
  );
}
