"use client";
import { Component, type ReactNode } from "react";
import { useRouter } from "next/navigation";
import { FAULTS } from "@/components/layout/fault-messages";

type Props = { title: string; children: ReactNode };
type State = { error: (Error & { digest?: string }) | null };

/**
 * One section of a page that failed to load says so in its own place; the rest of the page works. A
 * fault of the whole installation (the database unavailable, storage full) is not the section's to
 * report: it goes on to the page's error screen, which says what happened once.
 */
export class SectionBoundary extends Component<Props, State> {
  state: State = { error: null };

  static getDerivedStateFromError(error: Error & { digest?: string }): State {
    return { error };
  }

  render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    if (error.digest && FAULTS[error.digest]) throw error;
    return (
      <SectionFailed title={this.props.title} digest={error.digest} onRetry={() => this.setState({ error: null })} />
    );
  }
}

function SectionFailed({ title, digest, onRetry }: { title: string; digest?: string; onRetry: () => void }) {
  const router = useRouter();
  return (
    <section className="card" aria-label={title} style={{ marginBottom: "1rem" }}>
      <h2>{title}</h2>
      <div className="alert alert-error" role="alert">
        This section could not be loaded; the rest of the page is up to date.
        {digest ? (
          <>
            {" "}
            Reference: <code>{digest}</code>.
          </>
        ) : null}
      </div>
      <button
        type="button"
        className="btn btn-small"
        onClick={() => {
          onRetry();
          router.refresh();
        }}
      >
        Try again
      </button>
    </section>
  );
}
