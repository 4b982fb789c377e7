"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { FormMessage } from "@/components/forms/form-message";
import { useActionForm } from "@/components/forms/use-action-form";
import { addQuestionAction, updateQuestionAction } from "@/lib/acquisitions/actions";
import { ZQuestionInput } from "@/lib/acquisitions/schemas";

type Question = { id: string; text: string; help: string; isActive: boolean };

/** One question of the list: edit its text and hint, retire or restore it; or (no question) add one. */
export function QuestionEditor({ question, number }: { question: Question | null; number: number }) {
  const router = useRouter();
  const [text, setText] = useState(question?.text ?? "");
  const [help, setHelp] = useState(question?.help ?? "");
  const { errors, message, pending, submit } = useActionForm();
  const base = question ? `q-${question.id}` : "q-new";
  const save = (isActive: boolean) =>
    submit(
      ZQuestionInput,
      { text, help },
      (input) => (question ? updateQuestionAction(question.id, input, isActive) : addQuestionAction(input)),
      () => {
        router.refresh();
        if (!question) {
          setText("");
          setHelp("");
          return "Question added.";
        }
        return isActive === question.isActive
          ? "Saved."
          : isActive
            ? "Restored."
            : "Retired: new checklists will not ask it.";
      },
    );
  return (
    <form
      className="form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        save(question?.isActive ?? true);
      }}
    >
      <FormMessage message={message} />
      <div className="field">
        <label htmlFor={`${base}-text`}>
          {question ? `Question ${number}${question.isActive ? "" : " (retired)"}` : "New question"}
        </label>
        <textarea
          id={`${base}-text`}
          rows={2}
          maxLength={500}
          value={text}
          aria-invalid={errors.text ? true : undefined}
          aria-describedby={errors.text ? `${base}-text-error` : undefined}
          onChange={(e) => setText(e.target.value)}
        />
        {errors.text ? (
          <span id={`${base}-text-error`} className="error">
            {errors.text[0]}
          </span>
        ) : null}
      </div>
      <div className="field">
        <label htmlFor={`${base}-help`}>Hint{question ? ` for question ${number}` : " for the new question"}</label>
        <input
          id={`${base}-help`}
          type="text"
          maxLength={1000}
          value={help}
          onChange={(e) => setHelp(e.target.value)}
        />
      </div>
      <div className="row">
        <button type="submit" className="btn btn-primary btn-small" disabled={pending}>
          {question ? `Save question ${number}` : "Add question"}
        </button>
        {question ? (
          <button type="button" className="btn btn-small" disabled={pending} onClick={() => save(!question.isActive)}>
            {question.isActive ? `Retire question ${number}` : `Restore question ${number}`}
          </button>
        ) : null}
      </div>
    </form>
  );
}
