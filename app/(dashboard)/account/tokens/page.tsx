import type { Metadata } from "next";
import { requireActor } from "@/lib/auth/current-actor";
import { canSometimes, scopesOffered } from "@/lib/authz/policy";
import { getSettings } from "@/lib/settings/queries";
import { listTeams } from "@/lib/users/queries";
import { listOwnTokens, listServiceAccounts } from "@/lib/tokens/queries";
import { TokenForm } from "@/components/tokens/token-form";
import { TokenTable } from "@/components/tokens/token-table";
import { ServiceAccountForm } from "@/components/tokens/service-account-form";
import { ReauthenticateForm } from "@/components/sessions/reauthenticate-form";
import { SESSION_LIMITS, authenticatedRecently } from "@/lib/sessions/limits";

export const metadata: Metadata = { title: "API tokens" };

export default async function TokensPage() {
  const actor = await requireActor();
  const isAdmin = canSometimes(actor, "token:manage-service");
  // A token outlives the session: creating one needs a recent sign-in (lib/tokens/create-token.ts).
  const confirmed = authenticatedRecently(actor.session.authenticatedAt);
  const reauth = <ReauthenticateForm minutes={SESSION_LIMITS.recentAuthMs / 60_000} />;
  const [tokens, teams, settings, accounts] = await Promise.all([
    listOwnTokens(actor),
    listTeams(actor),
    getSettings(),
    isAdmin ? listServiceAccounts(actor) : Promise.resolve([]),
  ]);
  return (
    <>
      <div className="page-head">
        <div>
          <h1>API tokens</h1>
          <p>
            Tokens let scripts and pipelines call the REST API (<a href="/api-docs">reference</a>) as you, narrowed to
            the scopes you choose. Send one as <code>Authorization: Bearer apl_…</code>. Every call is logged; revoking
            a token takes effect at once.
          </p>
        </div>
      </div>
      <section className="card" aria-labelledby="new-token-h" style={{ marginBottom: "1rem" }}>
        <h2 id="new-token-h">New token</h2>
        {confirmed ? (
          <TokenForm
            forUserId={null}
            teams={teams}
            maxDays={settings.tokenMaxDays}
            idPrefix="own"
            scopes={scopesOffered(actor.role)}
          />
        ) : (
          reauth
        )}
      </section>
      <section aria-labelledby="my-tokens-h" style={{ marginBottom: "1rem" }}>
        <h2 id="my-tokens-h">Your tokens</h2>
        <TokenTable tokens={tokens} caption="Your API tokens" />
      </section>
      {isAdmin ? (
        <section aria-labelledby="service-h">
          <h2 id="service-h">Service accounts</h2>
          <p className="muted">
            Accounts for pipelines and gateways. They cannot sign in to the dashboard and act only through their tokens.
          </p>
          <div className="card" style={{ marginBottom: "1rem" }}>
            <ServiceAccountForm teams={teams} />
          </div>
          {accounts.map((a) => (
            <section
              key={a.id}
              className="card"
              aria-label={`Service account ${a.name}`}
              style={{ marginBottom: "1rem" }}
            >
              <h3>
                {a.name}{" "}
                <span className="small muted">
                  ({a.role.replace("_", " ").toLowerCase()}
                  {a.team ? `, ${a.team}` : ""})
                </span>
              </h3>
              <TokenTable tokens={a.tokens} caption={`Tokens of ${a.name}`} />
              <details style={{ marginTop: "0.75rem" }}>
                <summary>New token for {a.name}</summary>
                {confirmed ? (
                  <TokenForm
                    forUserId={a.id}
                    teams={teams}
                    maxDays={settings.tokenMaxDays}
                    idPrefix={`sa-${a.id}`}
                    scopes={scopesOffered(a.role)}
                  />
                ) : (
                  <p className="muted">Confirm your password above to create a token.</p>
                )}
              </details>
            </section>
          ))}
        </section>
      ) : null}
    </>
  );
}
