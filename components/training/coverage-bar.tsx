import { StackedBar } from "@/components/charts/stacked-bar";

type Coverage = { population: number; trained: number; share: number | null };

/** The share of API owners and reviewers trained in the last 12 months, as a figure and a bar. */
export function CoverageBar({ coverage }: { coverage: Coverage }) {
  if (coverage.population === 0) return <p className="muted">Nobody owns an API or reviews access yet.</p>;
  const percent = Math.round((coverage.share ?? 0) * 100);
  return (
    <div className="stack" style={{ gap: "0.4rem" }}>
      <div>
        <span className="stat">{percent}%</span>{" "}
        <span className="stat-label">
          of API owners and reviewers trained in the last 12 months ({coverage.trained} of {coverage.population})
        </span>
      </div>
      <StackedBar
        label="Training coverage"
        segments={[
          {
            label: "Trained in the last 12 months",
            value: coverage.trained,
            color: "var(--met)",
            href: "/training#people-h",
          },
          {
            label: "Training due",
            value: coverage.population - coverage.trained,
            color: "var(--notmet)",
            href: "/training#people-h",
          },
        ]}
      />
    </div>
  );
}
