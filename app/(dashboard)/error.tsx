"use client";

import { FAULTS } from "@/components/layout/fault-messages";

// Faults of the installation reach this boundary with a digest of their own (lib/errors.ts): say what
// happened and that trying again will work once it clears, rather than "something went wrong".
export default function DashboardError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const fault = error.digest ? FAULTS[error.digest] : undefined;
  return (
    <div className="alert alert-error" role="alert">
      <h1>{fault?.title ?? "Something went wrong"}</h1>
      <p>
        {fault ? (
          fault.text
        ) : (
          <>
            The page could not be shown.{" "}
            {error.digest ? (
              <>
                Reference: <code>{error.digest}</code>.
              </>
            ) : null}
          </>
        )}
      </p>
      <button type="button" className="btn" onClick={reset}>
        Try again
      </button>
    </div>
  );
}
