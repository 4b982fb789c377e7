import type { Metadata } from "next";
import { forbidden, notFound } from "next/navigation";
import { requireActor } from "@/lib/auth/current-actor";
import { canSometimes } from "@/lib/authz/policy";
import { listDocumentChoices } from "@/lib/documents/queries";
import { getTrainingSession, listAttendeeChoices } from "@/lib/training/queries";
import { TrainingForm } from "@/components/training/training-form";

export const metadata: Metadata = { title: "Edit training session" };

export default async function EditTrainingPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requireActor();
  if (!canSometimes(actor, "training:manage")) forbidden();
  const s = await getTrainingSession(actor, id);
  if (!s) notFound();
  const [people, documents] = await Promise.all([listAttendeeChoices(actor), listDocumentChoices(actor)]);
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Edit training session</h1>
        </div>
      </div>
      <TrainingForm
        initial={s.input}
        people={people}
        documents={documents}
        mode={{ kind: "edit", id: s.id, version: s.version }}
      />
    </>
  );
}
