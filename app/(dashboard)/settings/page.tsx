import type { Metadata } from "next";
import { forbidden } from "next/navigation";
import { requireActor } from "@/lib/auth/current-actor";
import { canSometimes } from "@/lib/authz/policy";
import { getSettings } from "@/lib/settings/queries";
import { SettingsForm } from "@/components/settings/settings-form";
import { getJobsOverview } from "@/lib/jobs/queries";
import { JobsTable } from "@/components/settings/jobs-table";
import { listWebhookDeliveries, listWebhooks } from "@/lib/webhooks/queries";
import { parseDeliveryView } from "@/lib/webhooks/list-view";
import { WebhooksPanel } from "@/components/settings/webhooks-panel";
import { DeliveryTable } from "@/components/settings/delivery-table";
import type { SearchParamsRecord } from "@/lib/tables/table-params";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage({ searchParams }: { searchParams: Promise<SearchParamsRecord> }) {
  const actor = await requireActor();
  if (!canSometimes(actor, "settings:manage")) forbidden();
  const view = parseDeliveryView(await searchParams);
  const [webhooks, deliveries] = await Promise.all([listWebhooks(actor), listWebhookDeliveries(actor, view)]);
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>Settings</h1>
          <p>
            Periods used to flag grants and to schedule quarterly access reviews (changes are audited), the webhooks
            that tell other systems, and the background jobs that act on them.
          </p>
        </div>
      </div>
      <section className="card">
        <SettingsForm initial={await getSettings()} />
      </section>
      <section className="card" aria-labelledby="webhooks-heading">
        <h2 id="webhooks-heading">Webhooks</h2>
        <WebhooksPanel webhooks={webhooks} />
        <h3 id="deliveries-heading" style={{ marginTop: "1.5rem" }}>
          Delivery log
        </h3>
        <DeliveryTable rows={deliveries.rows} total={deliveries.total} view={view} />
      </section>
      <section className="card" aria-labelledby="jobs-heading">
        <h2 id="jobs-heading">Background jobs</h2>
        <JobsTable overview={await getJobsOverview()} />
      </section>
    </div>
  );
}
