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

export function Field({
  name,
  label,
  hint,
  error,
  children,
  as = "div",
}: {
  name: string;
  label: string;
  hint?: React.ReactNode;
  error?: string[];
  children: React.ReactNode;
  as?: "div" | "fieldset";
}) {
  const ids = fieldIds(name);
  const message = error?.[0];
  if (as === "fieldset") {
    return (
      <fieldset
        className="field"
        style={{ border: "none", padding: 0, margin: 0 }}
        aria-describedby={describedBy(name, !!hint, !!message)}
        aria-invalid={message ? true : undefined}
      >
        <legend className="label" style={{ fontWeight: 600, fontSize: "0.92rem", padding: 0, marginBottom: "0.3rem" }}>
          {label}
        </legend>
        {hint ? (
          <span id={ids.hint} className="hint">
            {hint}
          </span>
        ) : null}
        {children}
        {message ? (
          <span id={ids.error} className="error">
            {message}
          </span>
        ) : null}
      </fieldset>
    );
  }
  return (
    <div className="field">
      <label htmlFor={ids.id}>{label}</label>
      {hint ? (
        <span id={ids.hint} className="hint">
          {hint}
        </span>
      ) : null}
      {children}
      {message ? (
        <span id={ids.error} className="error">
          {message}
        </span>
      ) : null}
    </div>
  );
}

/** A labelled single-line input (text, date, number) with its hint and error wired for screen readers. */
export function InputField({
  name,
  label,
  value,
  onChange,
  error,
  hint,
  type = "text",
  maxLength,
  min,
  max,
  step,
}: {
  name: string;
  label: string;
  value: string | number;
  onChange: (value: string) => void;
  error?: string[];
  hint?: React.ReactNode;
  type?: "text" | "date" | "datetime-local" | "number" | "email";
  maxLength?: number;
  min?: number | string;
  max?: number | string;
  step?: number;
}) {
  return (
    <Field name={name} label={label} error={error} hint={hint}>
      <input
        id={fieldIds(name).id}
        type={type}
        value={value}
        maxLength={maxLength}
        min={min}
        max={max}
        step={step}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(name, !!hint, !!error)}
        onChange={(e) => onChange(e.target.value)}
      />
    </Field>
  );
}

/** A labelled textarea with its hint and error wired for screen readers. */
export function TextAreaField({
  name,
  label,
  value,
  onChange,
  error,
  hint,
  rows = 3,
  maxLength,
}: {
  name: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string[];
  hint?: React.ReactNode;
  rows?: number;
  maxLength: number;
}) {
  return (
    <Field name={name} label={label} error={error} hint={hint}>
      <textarea
        id={fieldIds(name).id}
        rows={rows}
        maxLength={maxLength}
        value={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(name, !!hint, !!error)}
        onChange={(e) => onChange(e.target.value)}
      />
    </Field>
  );
}

/** The primary button of a form, showing that the work is under way. */
export function SubmitButton({
  pending,
  label,
  pendingLabel,
}: {
  pending: boolean;
  label: string;
  pendingLabel: string;
}) {
  return (
    <div className="form-actions">
      <button type="submit" className="btn btn-primary" disabled={pending}>
        {pending ? pendingLabel : label}
      </button>
    </div>
  );
}

/**
 * The options of a select of records (teams, people, documents): a first empty choice saying what no
 * choice means, then one option per record, labelled by its name unless `label` says otherwise.
 */
export function RecordOptions<T extends { id: string; name?: string }>({
  records,
  empty,
  emptyDisabled = false,
  label = (r) => r.name ?? r.id,
}: {
  records: T[];
  empty: string;
  emptyDisabled?: boolean;
  label?: (record: T) => string;
}) {
  return (
    <>
      <option value="" disabled={emptyDisabled}>
        {empty}
      </option>
      {records.map((r) => (
        <option key={r.id} value={r.id}>
          {label(r)}
        </option>
      ))}
    </>
  );
}
