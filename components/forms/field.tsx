// Field wrappers: label, hint and error wired to the control with ids and aria attributes, so screen
// readers announce the error with the field.
export function fieldIds(name: string) {
  const base = `f-${name.replace(/[^a-zA-Z0-9_-]/g, "-")}`;
  return { id: base, hint: `${base}-hint`, error: `${base}-error` };
}

export function describedBy(name: string, hint: boolean, error: boolean): string | undefined {
  const ids = fieldIds(name);
  return [hint ? ids.hint : null, error ? ids.error : null].filter(Boolean).join(" ") || undefined;
}

export function Field({ name, label, hint, error, children, as = "div" }: { name: string; label: string; hint?: React.ReactNode; error?: string[]; children: React.ReactNode; as?: "div" | "fieldset" }) {
  const ids = fieldIds(name);
  const message = error?.[0];
  if (as === "fieldset") {
    return (
      <fieldset className="field" style={{ border: "none", padding: 0, margin: 0 }} aria-describedby={describedBy(name, !!hint, !!message)} aria-invalid={message ? true : undefined}>
        <legend className="label" style={{ fontWeight: 600, fontSize: "0.92rem", padding: 0, marginBottom: "0.3rem" }}>
          {label}
        </legend>
        {hint ? <span id={ids.hint} className="hint">{hint}</span> : null}
        {children}
        {message ? <span id={ids.error} className="error">{message}</span> : null}
      </fieldset>
    );
  }
  return (
    <div className="field">
      <label htmlFor={ids.id}>{label}</label>
      {hint ? <span id={ids.hint} className="hint">{hint}</span> : null}
      {children}
      {message ? <span id={ids.error} className="error">{message}</span> : null}
    </div>
  );
}
