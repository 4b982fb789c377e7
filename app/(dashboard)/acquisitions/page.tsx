import type { Metadata } from "next";
import Link from "next/link";
import { requireActor } from "@/lib/auth/current-actor";
import { canSometimes } from "@/lib/authz/policy";
import { todayInput } from "@/lib/input/date-input";
import { listChecklists, listReviewerChoices } from "@/lib/acquisitions/queries";
import { parseChecklistView } from "@/lib/acquisitions/list-view";
import type { SearchParamsRecord } from "@/lib/tables/table-params";
import { ChecklistTable } from "@/components/acquisitions/checklist-table";
import { NewChecklistForm } from "@/components/acquisitions/new-checklist-form";

export const metadata: Metadata = { title: "Software acquisitions" };

export default async function AcquisitionsPage({ searchParams }: { searchParams: Promise<SearchParamsRecord> }) {
  const view = parseChecklistView(await searchParams);
  const actor = await requireActor();
  const [checklists, reviewers] = await Promise.all([listChecklists(actor, view), listReviewerChoices(actor)]);
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Software acquisitions</h1>
          <p>
            Before buying a product or service, check that its APIs authenticate and authorise clients securely. Each
            checklist keeps the questions as they were asked, the evidence, and the reviewer&apos;s outcome.
          </p>
        </div>
        {canSometimes(actor, "acquisition:manage-questions") ? (
          <Link className="btn" href="/acquisitions/questions">
            Edit the question list
          </Link>
        ) : null}
      </div>
      <div style={{ marginBottom: "1rem" }}>
        <ChecklistTable rows={checklists.rows} total={checklists.total} view={view} />
      </div>
      {canSometimes(actor, "acquisition:request") ? (
        <section className="card" aria-labelledby="new-h">
          <h2 id="new-h">Start a checklist</h2>
          <NewChecklistForm reviewers={reviewers} today={todayInput()} />
        </section>
      ) : null}
    </>
  );
}
