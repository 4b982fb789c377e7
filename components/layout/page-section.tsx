import { Suspense, type ReactNode } from "react";
import { SectionBoundary } from "@/components/layout/section-boundary";

/**
 * A part of a page that loads on its own: the page streams while it loads (its title and "Loading…" in
 * its place), and if it fails only this part says so (components/layout/section-boundary.tsx).
 */
export function PageSection({ title, children }: { title: string; children: ReactNode }) {
  return (
    <SectionBoundary title={title}>
      <Suspense fallback={<SectionLoading title={title} />}>{children}</Suspense>
    </SectionBoundary>
  );
}

function SectionLoading({ title }: { title: string }) {
  return (
    <section className="card" aria-label={title} aria-busy="true" style={{ marginBottom: "1rem" }}>
      <h2>{title}</h2>
      <p className="muted small">Loading…</p>
    </section>
  );
}
