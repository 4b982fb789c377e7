"use client";
import { useState, useTransition } from "react";
import type { z } from "zod";
import type { ActionResult } from "@/lib/next/action-result";
import type { FormMessageValue } from "@/components/forms/form-message";
import { fieldErrorsOf } from "@/lib/input/validation";

/**
 * The submit path every form shares: validate with the same zod schema the server uses, show field
 * errors without a round trip, call the server action, and show its field errors or message. `onOk`
 * returns the success line to show (or nothing when it navigates away). When fields have errors, focus
 * moves to the first of them in the form that was submitted (WCAG 3.3.1: the user is taken to the error).
 * `run` is the same path without the client-side check, for what only the server can judge.
 */
export function useActionForm() {
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [message, setMessage] = useState<FormMessageValue>(null);
  const [pending, startTransition] = useTransition();
  function submit<S extends z.ZodType, T>(
    schema: S,
    raw: unknown,
    action: (input: z.output<S>) => Promise<ActionResult<T>>,
    onOk: (data: T, input: z.output<S>) => Outcome,
    extraErrors: Record<string, string[]> = {},
  ) {
    const form = submittingForm();
    const parsed = schema.safeParse(raw);
    const clientErrors = { ...(parsed.success ? {} : fieldErrorsOf(parsed.error)), ...extraErrors };
    if (!parsed.success || Object.keys(clientErrors).length) {
      setErrors(clientErrors);
      setMessage({ kind: "error", text: "Some fields need attention. Nothing was saved." });
      focusFirstInvalid(form);
      return;
    }
    const input = parsed.data;
    run(
      () => action(input),
      (data) => onOk(data, input),
      form,
    );
  }
  /** For forms the server alone can check (files it inspects): the same pending state and outcome. */
  function run<T>(
    action: () => Promise<ActionResult<T>>,
    onOk: (data: T) => Outcome,
    form: HTMLFormElement | null = submittingForm(),
  ) {
    startTransition(async () => {
      const result = await action();
      if (!result.ok) {
        setErrors(result.fieldErrors);
        setMessage({ kind: "error", text: result.message });
        if (Object.keys(result.fieldErrors).length) focusFirstInvalid(form);
        return;
      }
      setErrors({});
      const outcome = onOk(result.data);
      setMessage(typeof outcome === "string" ? { kind: "ok", text: outcome } : (outcome ?? null));
    });
  }
  return { errors, message, pending, submit, run, setMessage };
}

/** What a success shows: a line (green), a message of another kind (a warning), or nothing. */
type Outcome = string | Exclude<FormMessageValue, null> | void;

/** The form being submitted: its submit button (or a field, for Enter) has the focus now. */
function submittingForm(): HTMLFormElement | null {
  return typeof document === "undefined" ? null : (document.activeElement?.closest("form") ?? null);
}

/** After the errors have rendered: focus the form's first field marked invalid. */
function focusFirstInvalid(form: HTMLFormElement | null): void {
  if (!form) return;
  requestAnimationFrame(() =>
    form
      .querySelector<HTMLElement>('[aria-invalid="true"]:is(input, select, textarea), [aria-invalid="true"] input')
      ?.focus(),
  );
}
