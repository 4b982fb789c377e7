import type { Metadata } from "next";
import { forbidden } from "next/navigation";
import { requireActor } from "@/lib/auth/current-actor";
import { canSometimes } from "@/lib/authz/policy";
import { getSettings } from "@/lib/settings/queries";
import { SettingsForm } from "@/components/settings/settings-form";
import { getJobsOverview } from "@/lib/jobs/queries";
import { JobsTable } from "@/components/settings/jobs-table";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const actor = await requireActor();
  if (!canSometimes(actor, "settings:manage")) forbidden();
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>Settings</h1>
          <p>
            Periods used to flag grants and to schedule quarterly access reviews (changes are audited), and the
            background jobs that act on them.
          </p>
        </div>
      </div>
      <section className="card">
        <SettingsForm initial={await getSettings()} />
      </section>
      <section className="card" aria-labelledby="jobs-heading">
        <h2 id="jobs-heading">Background jobs</h2>
        <JobsTable overview={await getJobsOverview()} />
      </section>
    </div>
  );
}
