"use client";

/** Recovery codes, shown once: each signs in once when the phone or passkey is lost. */
export function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  return (
    <section className="stack" aria-labelledby="recovery-codes-heading">
      <h3 id="recovery-codes-heading">Your recovery codes</h3>
      <p className="alert alert-warn">
        Keep these somewhere safe now: they are shown only once. Each one signs you in once if you lose your
        authenticator app or passkey.
      </p>
      <ul
        aria-label="Recovery codes"
        style={{ columns: 2, fontFamily: "var(--font-mono, monospace)", listStyle: "none", padding: 0 }}
      >
        {codes.map((c) => (
          <li key={c}>{c}</li>
        ))}
      </ul>
      <div className="row">
        <button
          type="button"
          className="btn"
          onClick={() => void navigator.clipboard?.writeText(codes.join("\n")).catch(() => undefined)}
        >
          Copy codes
        </button>
        <button type="button" className="btn btn-primary" onClick={onDone}>
          I have saved them
        </button>
      </div>
    </section>
  );
}
