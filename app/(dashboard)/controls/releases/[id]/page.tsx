import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requireActor } from "@/lib/auth/current-actor";
import { getReleaseChanges } from "@/lib/ism/queries";
import { CONTROLS, CONTROL_IDS } from "@/lib/ism/controls";
import type { CatalogControl } from "@/lib/ism/oscal";
import { firstParam, type SearchParamsRecord } from "@/lib/tables/table-params";

export const metadata: Metadata = { title: "What an ISM release changed" };

const PER_PAGE = 50;
const LISTS = ["added", "removed", "revised"] as const;
type ListName = (typeof LISTS)[number];

const labelOf = (controlId: string) => controlId.toUpperCase();

/** What an imported ISM release changed, viewable whenever it is needed (not only at import). */
export default async function ReleaseChangesPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<SearchParamsRecord>;
}) {
  const { id } = await params;
  const query = await searchParams;
  const changes = await getReleaseChanges(await requireActor(), id.slice(0, 64));
  if (!changes) notFound();
  const { catalog, previous, diff, evaluated } = changes;
  const pageOf = (list: ListName) => Math.max(1, Math.floor(Number(firstParam(query, list)) || 1));
  const href = (list: ListName, page: number) => {
    const next = new URLSearchParams();
    for (const l of LISTS) if (l !== list && pageOf(l) > 1) next.set(l, String(pageOf(l)));
    if (page > 1) next.set(list, String(page));
    return `/controls/releases/${catalog.id}${next.size ? `?${next}` : ""}#${list}-h`;
  };
  return (
    <>
      <div className="page-head">
        <div>
          <p className="small">
            <Link href="/controls">ISM controls</Link> ›
          </p>
          <h1>ISM release {catalog.release}: what changed</h1>
          <p>
            Published {catalog.lastModified.slice(0, 10)}, imported {catalog.importedAt.toISOString().slice(0, 10)}
            {catalog.isCurrent ? " · in use" : ""}.{" "}
            {previous
              ? `Compared with release ${previous.release} (published ${previous.lastModified.slice(0, 10)}), the one before it among those imported.`
              : "No earlier release was imported, so there is nothing to compare it with."}
          </p>
        </div>
      </div>
      {diff ? (
        <>
          <section className="card stack" aria-labelledby="evaluated-h" style={{ marginBottom: "1rem" }}>
            <h2 id="evaluated-h">The six controls ApiLedger evaluates</h2>
            {evaluated.length === 0 ? (
              <p className="alert alert-ok" role="status" style={{ margin: 0 }}>
                None of {CONTROL_IDS.map((c) => CONTROLS[c].label).join(", ")} changed in this release: every API’s
                control status stands as it was.
              </p>
            ) : (
              <ul className="alert alert-warn" style={{ margin: 0, paddingLeft: "1.8rem" }}>
                {evaluated.map((e) => (
                  <li key={e.controlId}>
                    <strong>{labelOf(e.controlId)}</strong>: {e.change}. Read its new text below and check the rules
                    still match it.
                  </li>
                ))}
              </ul>
            )}
          </section>
          <ChangeList
            name="added"
            title={`${diff.added.length.toLocaleString("en-AU")} added`}
            items={diff.added}
            page={pageOf("added")}
            href={href}
            render={(c) => <Statement label="Statement" text={c.statement} />}
          />
          <ChangeList
            name="removed"
            title={`${diff.removed.length.toLocaleString("en-AU")} removed`}
            items={diff.removed}
            page={pageOf("removed")}
            href={href}
            render={(c) => <Statement label="Statement as it was" text={c.statement} />}
          />
          <ChangeList
            name="revised"
            title={`${diff.revised.length.toLocaleString("en-AU")} revised`}
            items={diff.revised.map((r) => ({ ...r.after, before: r.before, changes: r.changes }))}
            page={pageOf("revised")}
            href={href}
            render={(c) => (
              <>
                <p className="small" style={{ margin: "0.2rem 0" }}>
                  {c.changes.join("; ")}
                </p>
                {c.before.statement !== c.statement ? (
                  <div className="grid grid-2" style={{ gap: "0.5rem" }}>
                    <Statement label="Before" text={c.before.statement} />
                    <Statement label="After" text={c.statement} />
                  </div>
                ) : null}
              </>
            )}
          />
        </>
      ) : null}
    </>
  );
}

function ChangeList<T extends CatalogControl>({
  name,
  title,
  items,
  page,
  href,
  render,
}: {
  name: ListName;
  title: string;
  items: T[];
  page: number;
  href: (list: ListName, page: number) => string;
  render: (item: T) => React.ReactNode;
}) {
  const pages = Math.max(1, Math.ceil(items.length / PER_PAGE));
  const current = Math.min(page, pages);
  const shown = items.slice((current - 1) * PER_PAGE, current * PER_PAGE);
  return (
    <section className="card stack" aria-labelledby={`${name}-h`} style={{ marginBottom: "1rem" }}>
      <h2 id={`${name}-h`}>{title}</h2>
      {items.length === 0 ? <p className="muted">None.</p> : null}
      <ul className="stack" style={{ listStyle: "none", padding: 0, margin: 0, gap: "0.75rem" }}>
        {shown.map((c) => (
          <li key={c.controlId} style={{ borderLeft: "3px solid var(--border)", paddingLeft: "0.75rem" }}>
            <strong>{labelOf(c.controlId)}</strong>
            {c.title && c.title !== labelOf(c.controlId) ? <span className="muted"> — {c.title}</span> : null}
            {c.section ? <span className="small muted"> · {c.section}</span> : null}
            {render(c)}
          </li>
        ))}
      </ul>
      {pages > 1 ? (
        <nav className="row" aria-label={`${title}: pages`}>
          {current > 1 ? (
            <Link className="btn btn-small" href={href(name, current - 1)}>
              Previous {PER_PAGE}
            </Link>
          ) : null}
          <span className="small">
            Page {current} of {pages}
          </span>
          {current < pages ? (
            <Link className="btn btn-small" href={href(name, current + 1)}>
              Next {PER_PAGE}
            </Link>
          ) : null}
        </nav>
      ) : null}
    </section>
  );
}

function Statement({ label, text }: { label: string; text: string }) {
  return (
    <div>
      <div className="small muted">{label}</div>
      <p className="document-body" style={{ margin: 0 }}>
        {text || "—"}
      </p>
    </div>
  );
}
