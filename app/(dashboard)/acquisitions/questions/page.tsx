import type { Metadata } from "next";
import { forbidden } from "next/navigation";
import Link from "next/link";
import { requireActor } from "@/lib/auth/current-actor";
import { canSometimes } from "@/lib/authz/policy";
import { listQuestions } from "@/lib/acquisitions/queries";
import { QuestionEditor } from "@/components/acquisitions/question-editor";

export const metadata: Metadata = { title: "Acquisition questions" };

export default async function QuestionsPage() {
  const actor = await requireActor();
  if (!canSometimes(actor, "acquisition:manage-questions")) forbidden();
  const questions = await listQuestions(actor);
  return (
    <>
      <div className="page-head">
        <div>
          <p className="small">
            <Link href="/acquisitions">Software acquisitions</Link> ›
          </p>
          <h1>Acquisition questions</h1>
          <p>
            The questions new checklists ask. Checklists already started keep the questions as they were when they were
            started.
          </p>
        </div>
      </div>
      <div className="stack">
        {questions.map((q, i) => (
          <section key={q.id} className="card" aria-label={`Question ${i + 1}`}>
            <QuestionEditor question={q} number={i + 1} />
          </section>
        ))}
        <section className="card" aria-labelledby="add-q-h">
          <h2 id="add-q-h">Add a question</h2>
          <QuestionEditor question={null} number={questions.length + 1} />
        </section>
      </div>
    </>
  );
}
