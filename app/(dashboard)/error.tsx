"use client";

export default function DashboardError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="alert alert-error" role="alert">
      <h1>Something went wrong</h1>
      <p>The page could not be shown. {error.digest ? <>Reference: <code>{error.digest}</code>.</> : null}</p>
      <button type="button" className="btn" onClick={reset}>
        Try again
      </button>
    </div>
  );
}
