import type { Metadata } from "next";
import Link from "next/link";
import { requireActor } from "@/lib/auth/current-actor";
import { can } from "@/lib/authz/policy";
import { getApi, getApiHistory } from "@/lib/apis/queries";
import { getOfficialControls } from "@/lib/ism/queries";
import { orNotFound } from "@/lib/next/page-load";
import { evaluateApi } from "@/lib/apis/rules";
import { DeleteApiButton } from "@/components/apis/delete-api-button";
import { ApiHistory } from "@/components/apis/api-history";
import { ClientsPanel } from "@/components/clients/clients-panel";
import { listClients } from "@/lib/clients/queries";
import { incidentsForApi } from "@/lib/incidents/queries";
import { IncidentLinks } from "@/components/incidents/incident-links";
import { getDescriptionReport } from "@/lib/openapi-scan/queries";
import { getSettings } from "@/lib/settings/queries";
import { DescriptionForm } from "@/components/apis/description-form";
import { DescriptionReportView } from "@/components/apis/description-report";
import { triageApprovers } from "@/lib/openapi-scan/triage";
import { DEFAULT_TRIAGE_DAYS, MAX_TRIAGE_DAYS } from "@/lib/openapi-scan/triage-schemas";
import { daysFromTodayInput } from "@/lib/input/date-input";

import { ControlsSection } from "@/app/(dashboard)/apis/[id]/_components/controls-section";
import { lastObservedEvent } from "@/lib/observed/queries";
import { RecordSection } from "@/app/(dashboard)/apis/[id]/_components/record-section";
import { PageSection } from "@/components/layout/page-section";
import type { UserActor } from "@/lib/auth/current-actor";

export const metadata: Metadata = { title: "API" };

export default async function ApiPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ saved?: string }>;
}) {
  const { id } = await params;
  const { saved } = await searchParams;
  const actor = await requireActor();
  const api = await orNotFound(() => getApi(actor, id));
  const official = await getOfficialControls(actor);
  // Applicable controls first: they are what the owner has to act on.
  const evaluations = evaluateApi(api).sort(
    (a, b) => Number(a.status === "NOT_APPLICABLE") - Number(b.status === "NOT_APPLICABLE"),
  );
  const target = { ownerId: api.ownerId, teamId: api.teamId };
  const part = { actor, api, target };

  return (
    <>
      <div className="page-head">
        <div>
          <p className="small">
            <Link href="/apis">API inventory</Link> ›
          </p>
          <h1>{api.name}</h1>
          <p>{api.purpose}</p>
        </div>
        <div className="row">
          <Link className="btn" href={`/apis/${api.id}/events`}>
            Authentication events
          </Link>
          {can(actor, "evidence:export", target) ? (
            <Link className="btn" href={`/evidence?api=${api.id}`}>
              Evidence bundle
            </Link>
          ) : null}
          {can(actor, "api:update", target) ? (
            <Link className="btn btn-primary" href={`/apis/${api.id}/edit`}>
              Edit
            </Link>
          ) : null}
          {can(actor, "api:delete", target) ? <DeleteApiButton id={api.id} name={api.name} /> : null}
        </div>
      </div>
      {saved ? (
        <div className="alert alert-ok" role="status" style={{ marginBottom: "1rem" }}>
          Saved. The control status below reflects your changes.
        </div>
      ) : null}

      <ControlsSection
        api={api}
        evaluations={evaluations}
        official={official}
        lastEventAt={(await lastObservedEvent(actor, api.id))?.toISOString() ?? null}
      />

      <PageSection title="Clients and grants">
        <ClientsPart {...part} />
      </PageSection>
      <PageSection title="OpenAPI description">
        <DescriptionPart {...part} />
      </PageSection>
      <PageSection title="Incidents">
        <IncidentsPart {...part} />
      </PageSection>

      <div className="grid grid-2">
        <RecordSection api={api} />
        <PageSection title="Change history">
          <HistoryPart {...part} />
        </PageSection>
      </div>
    </>
  );
}

// The parts below the controls load on their own (components/layout/page-section.tsx).
type Part = {
  actor: UserActor;
  api: NonNullable<Awaited<ReturnType<typeof getApi>>>;
  target: { ownerId: string | null; teamId: string };
};

async function ClientsPart({ actor, api, target }: Part) {
  const { clients, settings } = await listClients(actor, api.id, api.sensitivity);
  return (
    <section className="card" aria-labelledby="clients-title" style={{ marginBottom: "1rem" }}>
      <h2 id="clients-title">Clients and grants</h2>
      <ClientsPanel
        apiId={api.id}
        clients={clients}
        canManage={can(actor, "client:manage", target)}
        rotationDays={settings.rotationDays}
      />
    </section>
  );
}

async function DescriptionPart({ actor, api, target }: Part) {
  const [report, installation] = await Promise.all([getDescriptionReport(actor, api.id), getSettings()]);
  const canTriage = can(actor, "finding:triage", target);
  const approvers = canTriage ? await triageApprovers(api.teamId, actor.id) : [];
  // The approver named may decide, within what the policy allows them (never their own request).
  const decidableIds = (report?.findings ?? []).flatMap((f) =>
    f.triage?.status === "PENDING" &&
    can(actor, "finding:approve", {
      ownerId: f.triage.requestedById,
      reviewerId: f.triage.approverId,
      teamId: api.teamId,
      locked: false,
    })
      ? [f.triage.id]
      : [],
  );
  const expiry = {
    min: daysFromTodayInput(1),
    max: daysFromTodayInput(MAX_TRIAGE_DAYS),
    proposed: daysFromTodayInput(DEFAULT_TRIAGE_DAYS),
  };
  return (
    <section className="card" aria-labelledby="description-title" style={{ marginBottom: "1rem" }}>
      <h2 id="description-title">OpenAPI description</h2>
      {report ? (
        <DescriptionReportView report={report} triage={{ apiId: api.id, canTriage, decidableIds, approvers, expiry }} />
      ) : (
        <p className="muted">
          No OpenAPI description attached. Attach one to check every operation for missing authentication.
        </p>
      )}
      {can(actor, "api:update", target) ? (
        <DescriptionForm apiId={api.id} canFetch={installation.specFetchHosts !== ""} hasDescription={!!report} />
      ) : null}
    </section>
  );
}

async function IncidentsPart({ actor, api }: Part) {
  const incidents = await incidentsForApi(actor, api.id);
  return (
    <section className="card" aria-labelledby="incidents-title" style={{ marginBottom: "1rem" }}>
      <h2 id="incidents-title">Incidents</h2>
      {incidents.length === 0 ? <p className="muted">No incidents recorded for this API.</p> : null}
      <IncidentLinks incidents={incidents} />
      {can(actor, "incident:report") ? (
        <p className="small" style={{ marginTop: "0.5rem" }}>
          <Link href={`/incidents/new?api=${api.id}`}>Report an incident on this API</Link>
        </p>
      ) : null}
    </section>
  );
}

async function HistoryPart({ actor, api }: Part) {
  const history = await getApiHistory(actor, api.id);
  return (
    <section className="card" aria-labelledby="history-title">
      <h2 id="history-title">Change history</h2>
      <ApiHistory entries={history} />
    </section>
  );
}
