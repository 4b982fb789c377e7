export function OneTimePassword({ email, password }: { email: string; password: string }) {
  return (
    <div className="alert alert-ok" role="status">
      One-time password for <strong>{email}</strong>: <code style={{ fontSize: "1.05em" }}>{password}</code>
      <div className="small">Shown once — pass it on securely. It is not stored and cannot be shown again.</div>
    </div>
  );
}
