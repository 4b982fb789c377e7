import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getActorFor, isSignedIn } from "@/lib/auth/current-actor";
import { secondFactorKindsOf } from "@/lib/mfa/queries";
import { SecondFactorForm } from "@/components/mfa/second-factor-form";
import { SignOutButton } from "@/components/layout/sign-out-button";

export const metadata: Metadata = { title: "Second factor" };

export default async function SecondFactorPage() {
  const pending = await getActorFor("second-factor");
  if (!pending) redirect((await isSignedIn()) ? "/" : "/login?notice=second-factor-expired");
  const kinds = await secondFactorKindsOf(pending.actor.id);
  return (
    <main className="auth-wrap">
      <div className="auth-card card stack">
        <div>
          <h1>Second factor</h1>
          <p className="muted">
            Your password was right. Confirm it is you,{" "}
            <span style={{ overflowWrap: "anywhere" }}>{pending.actor.email}</span>, with your second factor.
          </p>
        </div>
        <SecondFactorForm kinds={kinds} />
        <p className="small muted">
          Lost your phone or passkey and your recovery codes? An administrator can reset your second factors.
        </p>
        <SignOutButton />
      </div>
    </main>
  );
}
