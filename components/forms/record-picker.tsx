"use client";
import { useId, useState } from "react";

type Record = { id: string; name: string };
const SHOWN = 8;

/**
 * Chooses some of many records (the APIs an incident affected) by typing part of a name: the chosen ones
 * are removable chips, the matches are buttons to add — usable by keyboard, and short however many
 * records there are.
 */
export function RecordPicker({
  label,
  records,
  selected,
  onChange,
  invalid,
  describedBy,
}: {
  label: string;
  records: Record[];
  selected: string[];
  onChange: (ids: string[]) => void;
  invalid?: boolean;
  describedBy?: string;
}) {
  const id = useId();
  const [query, setQuery] = useState("");
  const chosen = selected.map((s) => records.find((r) => r.id === s)).filter((r): r is Record => !!r);
  const needle = query.trim().toLowerCase();
  const matches = needle
    ? records.filter((r) => !selected.includes(r.id) && r.name.toLowerCase().includes(needle))
    : [];
  return (
    <div className="stack" style={{ gap: "0.4rem" }}>
      {chosen.length ? (
        <ul className="chips" aria-label={`${label}: chosen`}>
          {chosen.map((r) => (
            <li key={r.id}>
              <button
                type="button"
                className="chip"
                aria-label={`Remove ${r.name}`}
                onClick={() => onChange(selected.filter((s) => s !== r.id))}
              >
                {r.name} <span aria-hidden="true">×</span>
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="small muted" style={{ margin: 0 }}>
          None chosen yet.
        </p>
      )}
      <label htmlFor={id} className="small">
        Find an API to add
      </label>
      <input
        id={id}
        type="search"
        value={query}
        placeholder="Type part of its name"
        onChange={(e) => setQuery(e.target.value)}
        aria-invalid={invalid ? true : undefined}
        aria-describedby={describedBy}
        onKeyDown={(e) => {
          // Enter adds the only match (and never submits the form).
          if (e.key === "Enter") {
            e.preventDefault();
            if (matches.length === 1) {
              onChange([...selected, matches[0]!.id]);
              setQuery("");
            }
          }
        }}
      />
      {needle ? (
        <div role="group" aria-label={`Matching ${label.toLowerCase()}`} className="row">
          {matches.length === 0 ? <span className="small muted">No API matches “{query.trim()}”.</span> : null}
          {matches.slice(0, SHOWN).map((r) => (
            <button
              key={r.id}
              type="button"
              className="btn btn-small"
              aria-label={`Add ${r.name}`}
              onClick={() => {
                onChange([...selected, r.id]);
                setQuery("");
              }}
            >
              + {r.name}
            </button>
          ))}
          {matches.length > SHOWN ? (
            <span className="small muted">and {matches.length - SHOWN} more: type more of the name.</span>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
