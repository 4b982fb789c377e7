import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getActor } from "@/lib/auth/current-actor";
import { mustChangePassword } from "@/lib/users/queries";
import { ChangePasswordForm } from "./change-password-form";

export const metadata: Metadata = { title: "Change password" };

export default async function ChangePasswordPage() {
  const actor = await getActor();
  if (!actor) redirect("/login");
  const forced = await mustChangePassword(actor.id);
  return (
    <main className="auth-wrap">
      <div className="auth-card card stack">
        <h1>Change your password</h1>
        {forced ? (
          <p className="alert alert-warn">
            You signed in with a one-time password. Choose your own before you continue.
          </p>
        ) : null}
        <ChangePasswordForm />
      </div>
    </main>
  );
}
