"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { SubmitButton } from "@/components/forms/field";
import { FormMessage } from "@/components/forms/form-message";
import { useActionForm } from "@/components/forms/use-action-form";
import { saveAnswersAction } from "@/lib/acquisitions/actions";
import { ANSWERS, ANSWER_LABELS, ZAnswersInput, type Answer } from "@/lib/acquisitions/schemas";

type Item = { position: number; question: string; help: string; answer: Answer | ""; evidence: string };

/** Answers with evidence notes, one fieldset per question (the question text is the legend). */
export function ChecklistEditor({ id, version, answers }: { id: string; version: number; answers: Item[] }) {
  const router = useRouter();
  const [items, setItems] = useState(answers);
  const { message, pending, submit } = useActionForm();
  const set = (position: number, patch: Partial<Item>) =>
    setItems(items.map((i) => (i.position === position ? { ...i, ...patch } : i)));
  return (
    <form
      className="form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        submit(
          ZAnswersInput,
          { answers: items.map(({ position, answer, evidence }) => ({ position, answer, evidence })) },
          (input) => saveAnswersAction(id, version, input),
          () => {
            router.refresh();
            return "Answers saved.";
          },
        );
      }}
    >
      <FormMessage message={message} />
      <ol className="stack" style={{ paddingLeft: "1.2rem" }}>
        {items.map((item) => (
          <li key={item.position}>
            <fieldset className="fieldset" aria-describedby={item.help ? `q${item.position}-help` : undefined}>
              <legend>{item.question}</legend>
              {item.help ? (
                <p id={`q${item.position}-help`} className="hint">
                  {item.help}
                </p>
              ) : null}
              <div className="choices">
                {ANSWERS.map((a) => (
                  <label key={a}>
                    <input
                      type="radio"
                      name={`answer-${item.position}`}
                      checked={item.answer === a}
                      onChange={() => set(item.position, { answer: a })}
                    />
                    {ANSWER_LABELS[a]}
                  </label>
                ))}
              </div>
              <div className="field">
                <label htmlFor={`evidence-${item.position}`}>Evidence for question {item.position + 1}</label>
                <textarea
                  id={`evidence-${item.position}`}
                  rows={2}
                  maxLength={5000}
                  value={item.evidence}
                  onChange={(e) => set(item.position, { evidence: e.target.value })}
                />
              </div>
            </fieldset>
          </li>
        ))}
      </ol>
      <SubmitButton pending={pending} label="Save answers" pendingLabel="Saving…" />
    </form>
  );
}
