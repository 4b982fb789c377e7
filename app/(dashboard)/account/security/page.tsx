import type { Metadata } from "next";
import { requireActor } from "@/lib/auth/current-actor";
import { listFactorsOf } from "@/lib/mfa/queries";
import { getSettings } from "@/lib/settings/queries";
import { secondFactorRequired } from "@/lib/mfa/requirement";
import { SESSION_LIMITS, authenticatedRecently } from "@/lib/sessions/limits";
import { FactorTable } from "@/components/mfa/factor-table";
import { AddFactor } from "@/components/mfa/add-factor";
import { ReauthenticateForm } from "@/components/sessions/reauthenticate-form";

export const metadata: Metadata = { title: "Second factors" };

export default async function SecurityPage() {
  const actor = await requireActor();
  const [list, settings] = await Promise.all([listFactorsOf(actor, actor.id), getSettings()]);
  const required = secondFactorRequired(actor.role, settings.mfaRequiredFor);
  const recent = authenticatedRecently(actor.session.authenticatedAt);
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Second factors</h1>
          <p>
            Besides your password, sign in with an authenticator app (a six-digit code) or a passkey (this device, a
            security key or your phone).{" "}
            {required
              ? "Your account must have one."
              : "Your account does not have to, but one protects it if your password leaks."}
          </p>
        </div>
      </div>
      <section aria-labelledby="factors-h" style={{ marginBottom: "1rem" }}>
        <h2 id="factors-h">Your factors</h2>
        {!recent ? (
          <div style={{ marginBottom: "1rem" }}>
            <ReauthenticateForm
              minutes={SESSION_LIMITS.recentAuthMs / 60_000}
              purpose="Adding or removing a factor, or replacing recovery codes,"
            />
          </div>
        ) : null}
        <FactorTable list={list} own canChange={recent} userId={actor.id} name={actor.name} />
      </section>
      <section aria-labelledby="add-h">
        <h2 id="add-h">Add a factor</h2>
        {recent ? <AddFactor /> : <p className="muted">Confirm your password above to add a factor.</p>}
      </section>
    </>
  );
}
