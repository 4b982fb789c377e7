"use client";
import { useState } from "react";
import { signIn } from "next-auth/react";

/** Starts the single sign-on redirect (next-auth fetches its CSRF token first). */
export function OidcSignInButton({ name, callbackUrl }: { name: string; callbackUrl: string }) {
  const [pending, setPending] = useState(false);
  return (
    <button
      type="button"
      className="btn"
      disabled={pending}
      onClick={() => {
        setPending(true);
        void signIn("oidc", { callbackUrl });
      }}
    >
      {pending ? "Redirecting…" : `Sign in with ${name}`}
    </button>
  );
}
