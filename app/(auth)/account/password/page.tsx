import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getActorFor } from "@/lib/auth/current-actor";
import { ChangePasswordForm } from "./change-password-form";

export const metadata: Metadata = { title: "Change password" };

export default async function ChangePasswordPage() {
  const current = await getActorFor("password-change");
  if (!current) redirect("/login");
  const forced = current.mustChangePassword;
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
