"use client";
import Link from "next/link";
import { useUrlState } from "@/components/data-table/use-url-state";
import { LABELS, CONTROL_STATUSES } from "@/lib/apis/enums";
import { TRI_LABELS, type Tri } from "@/lib/records/fields";
import { ENUM_FILTERS, type ListParams } from "@/lib/apis/list-params";
import { CONTROLS, CONTROL_COLUMN, CONTROL_IDS } from "@/lib/ism/controls";

const GROUPS: { key: string; label: string; labelOf: (v: string) => string }[] = [
  { key: "lifecycle", label: "Lifecycle", labelOf: (v) => LABELS.lifecycle[v as keyof typeof LABELS.lifecycle] },
  { key: "exposure", label: "Network exposure", labelOf: (v) => LABELS.exposure[v as keyof typeof LABELS.exposure] },
  {
    key: "sensitivity",
    label: "Data sensitivity",
    labelOf: (v) => LABELS.sensitivity[v as keyof typeof LABELS.sensitivity],
  },
  {
    key: "authMethod",
    label: "Authentication method",
    labelOf: (v) => (v === "UNKNOWN" ? "Not recorded" : LABELS.authMethod[v as keyof typeof LABELS.authMethod]),
  },
  {
    key: "authzModel",
    label: "Authorisation model",
    labelOf: (v) => (v === "UNKNOWN" ? "Not recorded" : LABELS.authzModel[v as keyof typeof LABELS.authzModel]),
  },
  {
    key: "dataCategory",
    label: "Data category",
    labelOf: (v) => LABELS.dataCategory[v as keyof typeof LABELS.dataCategory],
  },
  { key: "modifiesData", label: "Modifies data", labelOf: (v) => TRI_LABELS[v as Tri] },
  { key: "readsNonPublic", label: "Non-public data", labelOf: (v) => TRI_LABELS[v as Tri] },
  { key: "centrallyLogged", label: "Centrally logged", labelOf: (v) => TRI_LABELS[v as Tri] },
  {
    key: "traffic",
    label: "Gateway traffic",
    labelOf: (v) =>
      v === "ZOMBIE" ? "Zombie: retired or deprecated, still called" : "Unused: active, not called lately",
  },
  ...CONTROL_IDS.map((id) => ({
    key: CONTROL_COLUMN[id],
    label: CONTROLS[id].label,
    labelOf: (v: string) => LABELS.controlStatus[v as (typeof CONTROL_STATUSES)[number]],
  })),
];

type Option = { id: string; name: string };

export function InventoryFilters({ params, teams, owners }: { params: ListParams; teams: Option[]; owners: Option[] }) {
  const { update, isPending } = useUrlState();
  const activeCount =
    Object.values(params.filters).reduce((n, v) => n + v.length, 0) +
    params.teamIds.length +
    (params.owner ? 1 : 0) +
    (params.tag ? 1 : 0);

  const toggle = (key: string, value: string, on: boolean) => {
    const current = key === "team" ? params.teamIds : (params.filters[key] ?? []);
    const next = on ? [...current, value] : current.filter((v) => v !== value);
    update({ [key]: next.join(",") || null });
  };

  return (
    <div className="stack" style={{ gap: "0.6rem", marginBottom: "0.75rem" }}>
      {/* Uncontrolled, and a plain GET form until the page has hydrated: what is typed before then is
          kept, and Enter still searches. Keyed by the URL's query so navigation resets the box. */}
      <form
        role="search"
        className="row"
        action="/apis"
        onSubmit={(e) => {
          e.preventDefault();
          update({ q: String(new FormData(e.currentTarget).get("q") ?? "").trim() || null });
        }}
      >
        <label htmlFor="inventory-search" className="sr-only">
          Search APIs
        </label>
        <input
          id="inventory-search"
          key={params.q}
          name="q"
          type="search"
          defaultValue={params.q}
          placeholder="Search name, purpose, function or tag"
          maxLength={200}
          style={{ maxWidth: 420 }}
        />
        <button type="submit" className="btn">
          Search
        </button>
        {activeCount > 0 || params.q ? (
          <Link className="btn btn-small" href="/apis">
            Clear all
          </Link>
        ) : null}
        <span className="small muted" aria-live="polite">
          {isPending ? "Updating the list…" : ""}
        </span>
      </form>
      {/* The active filters as a compact bar of chips, each removable; the full panel opens on demand. */}
      {activeCount > 0 ? (
        <ul className="chips" aria-label="Active filters">
          {activeChips(params, teams, owners).map((chip) => (
            <li key={chip.key}>
              <button
                type="button"
                className="chip"
                aria-label={`Remove filter ${chip.label}`}
                disabled={isPending}
                onClick={() =>
                  chip.remove === "owner" || chip.remove === "tag"
                    ? update({ [chip.remove]: null })
                    : toggle(chip.remove, chip.value, false)
                }
              >
                {chip.label} <span aria-hidden="true">×</span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <details aria-busy={isPending}>
        <summary className="btn btn-small" style={{ display: "inline-flex" }}>
          Filters{activeCount ? ` (${activeCount} active)` : ""}
        </summary>
        <div className="filters" style={{ marginTop: "0.6rem" }}>
          <fieldset>
            <legend>Team</legend>
            {teams.map((t) => (
              <label key={t.id}>
                <input
                  type="checkbox"
                  checked={params.teamIds.includes(t.id)}
                  onChange={(e) => toggle("team", t.id, e.target.checked)}
                />
                {t.name}
              </label>
            ))}
          </fieldset>
          <fieldset>
            <legend>Owner and tag</legend>
            <label htmlFor="owner-filter" className="sr-only">
              Owner
            </label>
            <select id="owner-filter" value={params.owner} onChange={(e) => update({ owner: e.target.value || null })}>
              <option value="">Any owner</option>
              <option value="none">No owner</option>
              {owners.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </select>
            <label htmlFor="tag-filter" className="sr-only">
              Tag
            </label>
            <input
              id="tag-filter"
              type="text"
              defaultValue={params.tag}
              placeholder="Tag (press Enter)"
              maxLength={80}
              style={{ marginTop: "0.4rem" }}
              onKeyDown={(e) => {
                if (e.key === "Enter") {
                  e.preventDefault();
                  update({ tag: e.currentTarget.value.trim().toLowerCase() || null });
                }
              }}
            />
          </fieldset>
          {GROUPS.map((group) => (
            <fieldset key={group.key}>
              <legend>{group.label}</legend>
              {(ENUM_FILTERS[group.key] ?? []).map((value) => (
                <label key={value}>
                  <input
                    type="checkbox"
                    checked={params.filters[group.key]?.includes(value) ?? false}
                    onChange={(e) => toggle(group.key, value, e.target.checked)}
                  />
                  {group.labelOf(value)}
                </label>
              ))}
            </fieldset>
          ))}
        </div>
      </details>
    </div>
  );
}

type Chip = { key: string; label: string; remove: string; value: string };

/** One chip per active filter value, labelled as the filter panel labels it. */
function activeChips(params: ListParams, teams: Option[], owners: Option[]): Chip[] {
  const chips: Chip[] = params.teamIds.map((id) => ({
    key: `team:${id}`,
    label: `Team: ${teams.find((t) => t.id === id)?.name ?? "unknown"}`,
    remove: "team",
    value: id,
  }));
  if (params.owner)
    chips.push({
      key: "owner",
      label: `Owner: ${params.owner === "none" ? "no owner" : (owners.find((o) => o.id === params.owner)?.name ?? "unknown")}`,
      remove: "owner",
      value: params.owner,
    });
  if (params.tag) chips.push({ key: "tag", label: `Tag: ${params.tag}`, remove: "tag", value: params.tag });
  for (const group of GROUPS)
    for (const value of params.filters[group.key] ?? [])
      chips.push({
        key: `${group.key}:${value}`,
        label: `${group.label}: ${group.labelOf(value)}`,
        remove: group.key,
        value,
      });
  return chips;
}
