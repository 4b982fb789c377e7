import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { isSignedIn } from "@/lib/auth/current-actor";
import { oidcConfig } from "@/lib/auth/oidc";
import { hasDemoAccounts, needsFirstAdmin } from "@/lib/users/queries";
import { LoginForm } from "./login-form";
import { OidcSignInButton } from "./oidc-sign-in-button";

export const metadata: Metadata = { title: "Sign in" };

const ERRORS: Record<string, string> = {
  CredentialsSignin:
    "The email or password is wrong, or the account is locked after repeated failed attempts. Try again later or ask an administrator.",
  NoRole: "Your single sign-on account is not in any group that has access to ApiLedger. Ask an administrator.",
  AccessDenied: "Access was refused. Your account may be deactivated.",
  MfaRequired:
    "Your role must sign in with a second factor, and the identity provider did not report one (no amr claim naming it). Sign in there with multi-factor authentication and try again; if your provider enforces MFA without saying so, an administrator can trust it in Settings.",
  PasswordAccount:
    "This account signs in with its own password, not through single sign-on: use the form below. The identity provider cannot sign in to (or change) an account ApiLedger manages.",
  SessionRequired: "Sign in to continue.",
};

const NOTICES: Record<string, string> = {
  "password-changed":
    "Your password was changed and every session of your account has ended. Sign in with the new one.",
  "second-factor-expired": "The sign-in waited too long for its second factor. Sign in again.",
};

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const params = await searchParams;
  if (await isSignedIn()) redirect("/");
  const oidc = oidcConfig();
  const error = params.error ? (ERRORS[params.error] ?? "Sign-in failed. Try again.") : null;
  const notice = params.notice ? NOTICES[params.notice] : undefined;
  const callbackUrl =
    params.callbackUrl?.startsWith("/") && !params.callbackUrl.startsWith("//") ? params.callbackUrl : "/";
  return (
    <main className="auth-wrap">
      <div className="auth-card card stack">
        <div>
          <h1>ApiLedger</h1>
          <p className="muted">Sign in to the API inventory.</p>
        </div>
        {notice ? (
          <div className="alert alert-ok" role="status">
            {notice}
          </div>
        ) : null}
        {error ? (
          <div className="alert alert-error" role="alert">
            {error}
          </div>
        ) : null}
        {(await needsFirstAdmin()) ? (
          <div className="alert alert-warn" role="note">
            <strong>A new installation.</strong> Nobody can sign in until the first administrator exists. On the server,
            in ApiLedger&apos;s folder, run{" "}
            <code>npm run user:create -- --email you@agency.gov.au --role ADMIN --name &quot;Your Name&quot;</code>; it
            prints a one-time password to sign in with here (you choose your own next). The dashboard then lists the
            first steps.
          </div>
        ) : null}
        <LoginForm callbackUrl={callbackUrl} />
        {oidc ? <OidcSignInButton name={oidc.name} callbackUrl={callbackUrl} /> : null}
        {(await hasDemoAccounts()) ? (
          <p className="small muted">
            Demo installation: sign in as <code>admin@example.com</code>, <code>owner@example.com</code>,{" "}
            <code>manager@example.com</code> or <code>auditor@example.com</code> with the password{" "}
            <code>ApiLedger-demo-1</code>.
          </p>
        ) : null}
      </div>
    </main>
  );
}
