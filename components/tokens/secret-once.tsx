"use client";

/** A token's secret as it is created: shown this once, selectable whole, with a copy button. */
export function SecretOnce({ title, secret, children }: { title: string; secret: string; children?: React.ReactNode }) {
  return (
    <div className="alert alert-ok" role="status">
      <p style={{ margin: 0 }}>
        <strong>{title}</strong>
      </p>
      <code
        data-testid="new-token"
        style={{ display: "block", wordBreak: "break-all", margin: "0.5rem 0", userSelect: "all" }}
      >
        {secret}
      </code>
      <button type="button" className="btn btn-small" onClick={() => void navigator.clipboard?.writeText(secret)}>
        Copy
      </button>
      {children}
    </div>
  );
}
