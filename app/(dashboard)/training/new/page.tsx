import type { Metadata } from "next";
import { forbidden } from "next/navigation";
import { requireActor } from "@/lib/auth/current-actor";
import { canSometimes } from "@/lib/authz/policy";
import { listDocumentChoices } from "@/lib/documents/queries";
import { listAttendeeChoices } from "@/lib/training/queries";
import { EMPTY_TRAINING } from "@/lib/training/schemas";
import { todayInput } from "@/lib/input/date-input";
import { TrainingForm } from "@/components/training/training-form";

export const metadata: Metadata = { title: "Record a training session" };

export default async function NewTrainingPage() {
  const actor = await requireActor();
  if (!canSometimes(actor, "training:manage")) forbidden();
  const [people, documents] = await Promise.all([listAttendeeChoices(actor), listDocumentChoices(actor)]);
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Record a training session</h1>
          <p>Record a session once it has been held, with everyone who attended.</p>
        </div>
      </div>
      <TrainingForm
        initial={{ ...EMPTY_TRAINING, heldOn: todayInput() }}
        people={people}
        documents={documents}
        mode={{ kind: "create" }}
      />
    </>
  );
}
