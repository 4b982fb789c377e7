"use client";
import { useEffect, useId, useRef, useState } from "react";
import { findApiChoicesAction } from "@/lib/apis/actions";

export type ChosenApi = { id: string; name: string };
type Choice = ChosenApi & { teamId: string | null };

/** Keystrokes this close together ask the server once. */
const DEBOUNCE_MS = 150;

/**
 * Chooses one API by typing part of its name, asking the server for the matches (lib/apis/choices.ts):
 * the page carries none of the inventory, so it stays light with 50,000 APIs. The ARIA 1.2 combobox
 * pattern — arrow keys move through the list, Enter chooses, Escape closes — and a status line that
 * says how many match. Editing the text after choosing clears the choice, so what is shown is what is
 * sent. `teamId` limits the matches to one team's APIs.
 */
export function ApiCombobox({
  id,
  value,
  onChange,
  teamId = "",
  disabled,
  invalid,
  describedBy,
  placeholder = "Type part of its name",
}: {
  id: string;
  value: ChosenApi | null;
  onChange: (api: ChosenApi | null) => void;
  teamId?: string;
  disabled?: boolean;
  invalid?: boolean;
  describedBy?: string;
  placeholder?: string;
}) {
  const listId = useId();
  const statusId = useId();
  const [text, setText] = useState(value?.name ?? "");
  const [open, setOpen] = useState(false);
  const [choices, setChoices] = useState<Choice[]>([]);
  const [more, setMore] = useState(false);
  const [active, setActive] = useState(-1);
  const [status, setStatus] = useState<"idle" | "loading" | "ready" | "failed">("idle");
  const [failure, setFailure] = useState("");
  const asked = useRef(0);

  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  // A choice made elsewhere (a form reset, another team) shows in the box.
  const [shownFor, setShownFor] = useState(value?.id);
  if (shownFor !== value?.id) {
    setShownFor(value?.id);
    setText(value?.name ?? "");
  }

  /** Asks for the matches of `q` once typing pauses; only the latest question's answer is shown. */
  const ask = (q: string) => {
    const ticket = ++asked.current;
    setStatus("loading");
    clearTimeout(timer.current);
    timer.current = setTimeout(async () => {
      const result = await findApiChoicesAction({ q, teamId }).catch(() => null);
      if (ticket !== asked.current) return;
      if (!result?.ok) {
        setFailure(result ? (Object.values(result.fieldErrors)[0]?.[0] ?? result.message) : "");
        setStatus("failed");
        setChoices([]);
        return;
      }
      setChoices(result.data.choices);
      setMore(result.data.more);
      setActive(result.data.choices.length ? 0 : -1);
      setStatus("ready");
    }, DEBOUNCE_MS);
  };
  const openList = (q: string) => {
    setOpen(true);
    ask(q);
  };

  const choose = (choice: Choice) => {
    setShownFor(choice.id);
    onChange({ id: choice.id, name: choice.name });
    setText(choice.name);
    setOpen(false);
  };
  const shown = open && status === "ready" && choices.length > 0;
  const message =
    status === "loading"
      ? "Looking…"
      : status === "failed"
        ? failure || "The APIs could not be listed. Try again."
        : status === "ready"
          ? choices.length === 0
            ? `No API matches “${text.trim()}”.`
            : `${choices.length} API${choices.length === 1 ? "" : "s"} listed${more ? ": type more of the name to narrow them" : ""}.`
          : "";

  return (
    <div className="combobox">
      <input
        id={id}
        type="text"
        role="combobox"
        autoComplete="off"
        aria-autocomplete="list"
        aria-expanded={shown}
        aria-controls={listId}
        aria-activedescendant={shown && active >= 0 ? `${listId}-${active}` : undefined}
        aria-invalid={invalid ? true : undefined}
        aria-describedby={[describedBy, open ? statusId : null].filter(Boolean).join(" ") || undefined}
        value={text}
        placeholder={placeholder}
        disabled={disabled}
        onFocus={() => openList(text)}
        onBlur={() => {
          setOpen(false);
          ++asked.current;
        }}
        onChange={(e) => {
          setText(e.target.value);
          openList(e.target.value);
          // Typing un-chooses: the text stays as typed (not reset as a change from outside would be).
          if (value) {
            setShownFor(undefined);
            onChange(null);
          }
        }}
        onKeyDown={(e) => {
          if (e.key === "ArrowDown" || e.key === "ArrowUp") {
            e.preventDefault();
            if (!open) return openList(text);
            if (!choices.length) return;
            const step = e.key === "ArrowDown" ? 1 : -1;
            setActive((active + step + choices.length) % choices.length);
          } else if (e.key === "Enter") {
            // Enter chooses the highlighted API and never submits the form from here.
            if (shown && active >= 0) {
              e.preventDefault();
              choose(choices[active]!);
            }
          } else if (e.key === "Escape" && open) {
            e.preventDefault();
            setOpen(false);
          }
        }}
      />
      <ul id={listId} role="listbox" className="combobox-list" hidden={!shown} aria-label="Matching APIs">
        {choices.map((choice, i) => (
          <li
            key={choice.id}
            id={`${listId}-${i}`}
            role="option"
            aria-selected={i === active}
            className={i === active ? "active" : undefined}
            // Chosen on mouse down, before the box loses focus and closes the list.
            onMouseDown={(e) => {
              e.preventDefault();
              choose(choice);
            }}
          >
            {choice.name}
          </li>
        ))}
      </ul>
      <span id={statusId} className="small muted" role="status" aria-live="polite">
        {open ? message : ""}
      </span>
    </div>
  );
}
