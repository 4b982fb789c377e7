import type { Metadata } from "next";
import Link from "next/link";
import { requireActor } from "@/lib/auth/current-actor";
import { canSometimes } from "@/lib/authz/policy";
import {
  countUnassignedReviews,
  getMyWork,
  listAssignablePeople,
  listCampaignReviews,
  listCampaigns,
} from "@/lib/reviews/queries";
import { AssignUnassignedForm } from "@/components/reviews/assign-reviewer-form";
import { parseCampaignReviewView } from "@/lib/reviews/list-view";
import type { SearchParamsRecord } from "@/lib/tables/table-params";
import { quarterChoices, quarterOf } from "@/lib/reviews/quarters";
import { getSettings } from "@/lib/settings/queries";
import { MyWork } from "@/components/reviews/my-work";
import { OpenCampaignForm } from "@/components/reviews/open-campaign-form";
import { AddToCampaignForm } from "@/components/reviews/add-to-campaign-form";
import { CampaignReviewTable } from "@/components/reviews/campaign-review-table";
import { CHART_COLORS, StackedBar } from "@/components/charts/stacked-bar";

export const metadata: Metadata = { title: "Access reviews" };

const COLORS = {
  SIGNED_OFF: CHART_COLORS.met,
  IN_PROGRESS: CHART_COLORS.judge,
  NOT_STARTED: CHART_COLORS.neutral,
  OVERDUE: CHART_COLORS.notMet,
} as const;

export default async function ReviewsPage({ searchParams }: { searchParams: Promise<SearchParamsRecord> }) {
  const view = parseCampaignReviewView(await searchParams);
  const actor = await requireActor();
  const [campaigns, work, settings] = await Promise.all([listCampaigns(actor), getMyWork(actor), getSettings()]);
  const campaign = campaigns.find((c) => c.id === view.campaign) ?? campaigns[0];
  const reviews = campaign ? await listCampaignReviews(actor, campaign.id, view) : null;
  const manages = canSometimes(actor, "review:manage-campaign");
  const [unassigned, people] =
    campaign && manages
      ? await Promise.all([countUnassignedReviews(actor, campaign.id), listAssignablePeople(actor)])
      : [0, []];
  const suggested = quarterOf(new Date(), settings.quarterStartMonth, settings.reviewDueDays).label;
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Access reviews</h1>
          <p>
            Every quarter, each API in service under an access-control control (ISM-2013, ISM-2014, ISM-1818 or
            ISM-1817) has its clients and grants reviewed, decided and signed off.
          </p>
        </div>
      </div>
      <MyWork work={work} />
      <section className="card stack" aria-labelledby="campaigns-h" style={{ marginBottom: "1rem" }}>
        <h2 id="campaigns-h">Campaigns</h2>
        {campaigns.length === 0 ? (
          <p className="muted">No campaign has been opened yet.</p>
        ) : (
          <div className="legend" aria-hidden="true">
            <span style={{ ["--swatch" as string]: COLORS.SIGNED_OFF }}>Signed off</span>
            <span style={{ ["--swatch" as string]: COLORS.IN_PROGRESS }}>In progress</span>
            <span style={{ ["--swatch" as string]: COLORS.NOT_STARTED }}>Not started</span>
            <span style={{ ["--swatch" as string]: COLORS.OVERDUE }}>Overdue</span>
          </div>
        )}
        {campaigns.map((c) => (
          <div key={c.id} className="control-row" style={{ gridTemplateColumns: "110px 1fr" }}>
            <div>
              <Link href={`/reviews?campaign=${c.id}`} aria-current={c.id === campaign?.id ? "true" : undefined}>
                <strong>{c.quarter}</strong>
              </Link>
              <div className="small muted">due {c.dueOn}</div>
            </div>
            <div className="stack" style={{ gap: "0.3rem" }}>
              <StackedBar
                label={`${c.quarter} reviews by status`}
                segments={(["SIGNED_OFF", "IN_PROGRESS", "NOT_STARTED", "OVERDUE"] as const).map((s) => ({
                  label: s.replace("_", " ").toLowerCase(),
                  value: c.counts[s],
                  color: COLORS[s],
                }))}
              />
              <span className="small">
                Coverage {Math.round(c.coverage * 100)}% ({c.counts.SIGNED_OFF} of {c.total} signed off) ·{" "}
                {c.counts.IN_PROGRESS} in progress · {c.counts.NOT_STARTED} not started · {c.counts.OVERDUE} overdue
              </span>
            </div>
          </div>
        ))}
        {canSometimes(actor, "review:manage-campaign") ? (
          <>
            <h3>Open a campaign</h3>
            <p className="small muted">
              Creates one review per API in service (active or deprecated) to which an access-control control applies —
              ISM-2013 or ISM-2014, or ISM-1818 or ISM-1817 when internet-facing — assigned to a manager of the owning
              team. Quarters start in month {settings.quarterStartMonth}; reviews are due {settings.reviewDueDays} days
              after the quarter ends.
            </p>
            <OpenCampaignForm
              quarters={quarterChoices(suggested).filter((q) => !campaigns.some((c) => c.quarter === q))}
              suggested={suggested}
            />
          </>
        ) : null}
      </section>
      {campaign && reviews ? (
        <section className="card" aria-labelledby="campaign-h">
          <h2 id="campaign-h">{campaign.quarter} reviews</h2>
          {manages ? (
            <div className="stack" style={{ marginBottom: "0.75rem" }}>
              <AssignUnassignedForm campaignId={campaign.id} unassigned={unassigned} people={people} />
              <AddToCampaignForm campaignId={campaign.id} quarter={campaign.quarter} />
            </div>
          ) : null}
          <CampaignReviewTable
            caption={`Reviews of the ${campaign.quarter} campaign`}
            rows={reviews.rows}
            total={reviews.total}
            view={view}
          />
        </section>
      ) : null}
    </>
  );
}
