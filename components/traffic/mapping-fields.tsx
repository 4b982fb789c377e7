"use client";
import { Field, InputField, fieldIds } from "@/components/forms/field";
import {
  MAPPED_FIELDS,
  MAPPED_FIELD_INFO,
  TIME_UNITS,
  TIME_UNIT_LABELS,
  type TFieldMapping,
  type TimeUnit,
} from "@/lib/traffic/field-mapping";

/**
 * The inputs of an "any JSON" source's field mapping: where the records hold each field of a call, as a
 * path expression. `prefix` names the errors' keys ("mapping." inside the registration form).
 */
export function MappingFields({
  value,
  onChange,
  errors,
  prefix = "",
}: {
  value: TFieldMapping;
  onChange: (value: TFieldMapping) => void;
  errors: Record<string, string[]>;
  prefix?: string;
}) {
  const name = (field: string) => `mapping-${field}`;
  return (
    <Field
      name="mapping"
      label="Where the records hold each field"
      as="fieldset"
      hint={
        <>
          A path to each value: names separated by dots (<code>req.headers.host</code>), a name with dots or dashes in
          quotes (<code>headers[&quot;x-client-id&quot;]</code>), an index (<code>tags[0]</code>); alternatives
          separated by <code>|</code>, the first that holds a value wins. Time and method are needed, and the path,
          route template or gateway route.
        </>
      }
    >
      <div className="field-row">
        {MAPPED_FIELDS.map((field) => {
          const info = MAPPED_FIELD_INFO[field];
          return (
            <InputField
              key={field}
              name={name(field)}
              label={info.label}
              hint={
                <>
                  {info.hint} For example <code>{info.example}</code>.
                </>
              }
              maxLength={300}
              value={value[field]}
              error={errors[`${prefix}${field}`]}
              onChange={(v) => onChange({ ...value, [field]: v })}
            />
          );
        })}
        <Field name={name("timeUnit")} label="A time written as a number is" error={errors[`${prefix}timeUnit`]}>
          <select
            id={fieldIds(name("timeUnit")).id}
            value={value.timeUnit}
            onChange={(e) => onChange({ ...value, timeUnit: e.target.value as TimeUnit })}
          >
            {TIME_UNITS.map((unit) => (
              <option key={unit} value={unit}>
                {TIME_UNIT_LABELS[unit]}
              </option>
            ))}
          </select>
        </Field>
        <InputField
          name={name("records")}
          label="Records inside each body (optional)"
          hint={
            <>
              When each body wraps its records, where they are: <code>events</code>, <code>data.items</code>. Empty: the
              body is a record, an array of records, or one record per line.
            </>
          }
          maxLength={300}
          value={value.records}
          error={errors[`${prefix}records`]}
          onChange={(v) => onChange({ ...value, records: v })}
        />
      </div>
    </Field>
  );
}
