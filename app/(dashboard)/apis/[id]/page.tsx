import type { Metadata } from "next";
import Link from "next/link";
import { requireActor } from "@/lib/auth/current-actor";
import { can } from "@/lib/authz/policy";
import { getApi, getApiHistory } from "@/lib/apis/queries";
import { getOfficialControls } from "@/lib/ism/queries";
import { orNotFound } from "@/lib/next/page-load";
import { evaluateApi, isInternetAccessible } from "@/lib/ism/rules";
import { CONTROLS } from "@/lib/ism/controls";
import { LABELS, TRI_LABELS, triOf } from "@/lib/apis/enums";
import { ControlBadge } from "@/components/apis/control-badge";
import { DeleteApiButton } from "@/components/apis/delete-api-button";
import { ApiHistory } from "@/components/apis/api-history";
import { ClientsPanel } from "@/components/clients/clients-panel";
import { listClients } from "@/lib/clients/queries";
import { incidentsForApi } from "@/lib/incidents/queries";
import { SeverityBadge } from "@/components/incidents/severity-badge";
import { INCIDENT_LABELS } from "@/lib/incidents/schemas";
import { getDescriptionReport } from "@/lib/openapi-scan/queries";
import { getSettings } from "@/lib/settings/queries";
import { DescriptionForm } from "@/components/apis/description-form";
import { DescriptionReportView } from "@/components/apis/description-report";

export const metadata: Metadata = { title: "API" };

const tri = (v: boolean | null) =>
  v === null ? <span className="muted">{TRI_LABELS.unknown}</span> : TRI_LABELS[triOf(v)];

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
  const [history, official, { clients, settings }, incidents, report, installation] = await Promise.all([
    getApiHistory(actor, id),
    getOfficialControls(actor),
    listClients(actor, id, api.sensitivity),
    incidentsForApi(actor, id),
    getDescriptionReport(actor, id),
    getSettings(),
  ]);
  // Applicable controls first: they are what the owner has to act on.
  const evaluations = evaluateApi(api).sort(
    (a, b) => Number(a.status === "NOT_APPLICABLE") - Number(b.status === "NOT_APPLICABLE"),
  );
  const applicable = evaluations.filter((e) => e.status !== "NOT_APPLICABLE");
  const target = { ownerId: api.ownerId, teamId: api.teamId };

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

      <section className="card stack" aria-labelledby="controls-title" style={{ marginBottom: "1rem" }}>
        <div>
          <h2 id="controls-title">ISM network-API controls</h2>
          <p className="muted small">
            {applicable.length === 0
              ? "None of the six controls applies to this API."
              : `${applicable.length} of 6 controls apply. ${isInternetAccessible(api) ? "Treated as internet-accessible." : "Treated as not internet-accessible."}`}{" "}
            {official.catalog
              ? `Official wording from ISM ${official.catalog.release}.`
              : "No ISM catalog imported yet: summaries are ApiLedger’s own words."}
          </p>
        </div>
        {evaluations.map((e) => {
          const control = CONTROLS[e.controlId];
          const text = official.controls.get(e.controlId);
          return (
            <article
              key={e.controlId}
              className="control-detail"
              style={{ borderTop: "1px solid #edf0f4", paddingTop: "0.75rem" }}
              aria-labelledby={`ctl-${e.controlId}`}
            >
              <div className="row" style={{ justifyContent: "space-between" }}>
                <h3 id={`ctl-${e.controlId}`} style={{ margin: 0 }}>
                  {control.label}
                  {text?.revision ? <span className="small muted"> (revision {text.revision})</span> : null}
                </h3>
                <ControlBadge status={e.status} />
              </div>
              <p className="small" style={{ margin: "0.35rem 0" }}>
                {text?.statement ? <q>{text.statement}</q> : control.summary}
              </p>
              <ul className="small" style={{ margin: "0.25rem 0", paddingLeft: "1.2rem" }}>
                {e.reasons.map((r) => (
                  <li key={r}>{r}</li>
                ))}
                {e.warnings.map((w) => (
                  <li key={w}>
                    <strong>Warning:</strong> {w}
                  </li>
                ))}
              </ul>
              {e.status !== "NOT_APPLICABLE" ? (
                <p className="small muted" style={{ margin: 0 }}>
                  ISO/IEC 27001:2022 Annex A: {control.iso27001.join("; ")}
                </p>
              ) : null}
            </article>
          );
        })}
      </section>

      <section className="card" aria-labelledby="clients-title" style={{ marginBottom: "1rem" }}>
        <h2 id="clients-title">Clients and grants</h2>
        <ClientsPanel
          apiId={api.id}
          clients={clients}
          canManage={can(actor, "client:manage", target)}
          rotationDays={settings.rotationDays}
        />
      </section>

      <section className="card" aria-labelledby="description-title" style={{ marginBottom: "1rem" }}>
        <h2 id="description-title">OpenAPI description</h2>
        {report ? (
          <DescriptionReportView report={report} />
        ) : (
          <p className="muted">
            No OpenAPI description attached. Attach one to check every operation for missing authentication.
          </p>
        )}
        {can(actor, "api:update", target) ? (
          <DescriptionForm apiId={api.id} canFetch={installation.specFetchHosts !== ""} hasDescription={!!report} />
        ) : null}
      </section>
      <section className="card" aria-labelledby="incidents-title" style={{ marginBottom: "1rem" }}>
        <h2 id="incidents-title">Incidents</h2>
        {incidents.length === 0 ? <p className="muted">No incidents recorded for this API.</p> : null}
        <ul style={{ margin: 0, paddingLeft: "1.1rem" }}>
          {incidents.map((i) => (
            <li key={i.id}>
              <Link href={`/incidents/${i.id}`}>{i.title}</Link> <SeverityBadge severity={i.severity} />{" "}
              <span className="small muted">
                {INCIDENT_LABELS.status[i.status]} · detected {i.detectedAt.slice(0, 10)}
              </span>
            </li>
          ))}
        </ul>
        {can(actor, "incident:report") ? (
          <p className="small" style={{ marginTop: "0.5rem" }}>
            <Link href={`/incidents/new?api=${api.id}`}>Report an incident on this API</Link>
          </p>
        ) : null}
      </section>

      <div className="grid grid-2">
        <section className="card" aria-labelledby="facts-title">
          <h2 id="facts-title">Record</h2>
          <dl className="facts">
            <dt>Team</dt>
            <dd>{api.team.name}</dd>
            <dt>Owner</dt>
            <dd>{api.owner?.name ?? <span className="badge badge-NOT_MET">No owner</span>}</dd>
            <dt>Business function</dt>
            <dd>{api.businessFunction || <span className="muted">—</span>}</dd>
            <dt>Lifecycle</dt>
            <dd>{LABELS.lifecycle[api.lifecycle]}</dd>
            <dt>Exposure</dt>
            <dd>
              {LABELS.exposure[api.exposure]}
              {api.exposure === "PARTNER" ? (api.partnerLinkPrivate ? " (private link)" : " (over the internet)") : ""}
            </dd>
            <dt>Environments</dt>
            <dd>
              {api.environments.length ? (
                <ul style={{ margin: 0, paddingLeft: "1rem" }}>
                  {api.environments.map((e) => (
                    <li key={e.name}>
                      {e.name}: <code>{e.baseUrl}</code>
                    </li>
                  ))}
                </ul>
              ) : (
                <span className="muted">None recorded</span>
              )}
            </dd>
            <dt>Modifies data</dt>
            <dd>{tri(api.modifiesData)}</dd>
            <dt>Non-public data</dt>
            <dd>{tri(api.readsNonPublic)}</dd>
            <dt>Sensitivity</dt>
            <dd>
              <span className="badge badge-sens">{LABELS.sensitivity[api.sensitivity]}</span>
            </dd>
            <dt>Data categories</dt>
            <dd>
              {api.dataCategories.map((c) => LABELS.dataCategory[c]).join(", ") || (
                <span className="muted">None recorded</span>
              )}
            </dd>
            <dt>Authentication</dt>
            <dd>
              {api.authMethods.map((m) => LABELS.authMethod[m]).join(", ") || (
                <span className="muted">Not recorded</span>
              )}
            </dd>
            <dt>Authorisation</dt>
            <dd>
              {api.authzModel ? LABELS.authzModel[api.authzModel] : <span className="muted">Not recorded</span>}
              {api.authzRoles.length ? <div className="small">Roles/scopes: {api.authzRoles.join(", ")}</div> : null}
            </dd>
            <dt>Central logging</dt>
            <dd>
              {tri(api.centrallyLogged)}
              {api.loggingDestination ? ` — ${api.loggingDestination}` : ""}
            </dd>
            <dt>Links</dt>
            <dd>
              {[
                ["Documentation", api.docsUrl],
                ["Repository", api.repoUrl],
                ["OpenAPI", api.openapiUrl],
              ]
                .filter(([, href]) => href)
                .map(([label, href]) => (
                  <a key={label} href={href} rel="noreferrer noopener" style={{ marginRight: "0.75rem" }}>
                    {label}
                  </a>
                ))}
              {!api.docsUrl && !api.repoUrl && !api.openapiUrl ? <span className="muted">None</span> : null}
            </dd>
            <dt>Tags</dt>
            <dd>
              {api.tags.length ? (
                api.tags.map((t) => (
                  <Link
                    key={t}
                    href={`/apis?tag=${encodeURIComponent(t)}`}
                    className="badge badge-neutral"
                    style={{ marginRight: 4 }}
                  >
                    {t}
                  </Link>
                ))
              ) : (
                <span className="muted">None</span>
              )}
            </dd>
            <dt>Created</dt>
            <dd>
              {api.createdAt.slice(0, 10)} by {api.createdBy}
            </dd>
            <dt>Last updated</dt>
            <dd>
              {api.updatedAt.slice(0, 10)} by {api.updatedBy}
            </dd>
          </dl>
        </section>
        <section className="card" aria-labelledby="history-title">
          <h2 id="history-title">Change history</h2>
          <ApiHistory entries={history} />
        </section>
      </div>
    </>
  );
}
