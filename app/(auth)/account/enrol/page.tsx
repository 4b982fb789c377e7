import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getActorFor } from "@/lib/auth/current-actor";
import { ForcedEnrolment } from "@/components/mfa/forced-enrolment";
import { SignOutButton } from "@/components/layout/sign-out-button";

export const metadata: Metadata = { title: "Enrol a second factor" };

export default async function EnrolPage() {
  const current = await getActorFor("enrolment");
  if (!current) redirect("/");
  // Once enrolled the same page stays (its recovery codes are on screen); the dashboard is one click on.
  return (
    <main className="auth-wrap">
      <div className="auth-card card stack">
        <h1>Enrol a second factor</h1>
        {current.stage === "enrol" ? (
          <p className="alert alert-warn">
            Your account must sign in with a second factor besides the password. Set up an authenticator app or a
            passkey before you continue; until then nothing else opens.
          </p>
        ) : null}
        <ForcedEnrolment />
        <SignOutButton />
      </div>
    </main>
  );
}
