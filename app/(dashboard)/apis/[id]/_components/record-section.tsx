import Link from "next/link";
import { SensitivityBadge } from "@/components/apis/sensitivity-badge";
import { LABELS } from "@/lib/apis/enums";
import { TRI_LABELS, triOf } from "@/lib/records/fields";
import type { ApiRecord } from "@/app/(dashboard)/apis/[id]/_components/types";

const tri = (v: boolean | null) =>
  v === null ? <span className="muted">{TRI_LABELS.unknown}</span> : TRI_LABELS[triOf(v)];

export function RecordSection({ api }: { api: ApiRecord }) {
  return (
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
          <SensitivityBadge level={api.sensitivity} />
        </dd>
        <dt>Data categories</dt>
        <dd>
          {api.dataCategories.map((c) => LABELS.dataCategory[c]).join(", ") || (
            <span className="muted">None recorded</span>
          )}
        </dd>
        <dt>Authentication</dt>
        <dd>
          {api.authMethods.map((m) => LABELS.authMethod[m]).join(", ") || <span className="muted">Not recorded</span>}
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
  );
}
