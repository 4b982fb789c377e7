import type { Flag } from "@/lib/clients/flags";

/** A grant's review flags (lib/clients/flags.ts), as the API page and the access review show them. */
export function GrantFlags({ flags }: { flags: Flag[] }) {
  if (flags.length === 0) return <span className="badge badge-MET">✓ none</span>;
  return (
    <ul className="small" style={{ margin: 0, paddingLeft: "1rem" }}>
      {flags.map((f) => (
        <li key={f.kind}>{f.message}</li>
      ))}
    </ul>
  );
}
