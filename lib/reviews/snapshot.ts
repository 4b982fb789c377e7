// The frozen list of an API's clients and grants that a review decides on. Canonical JSON, so the
// hash identifies exactly what was reviewed.
import { createHash } from "node:crypto";
import { canonicalJson } from "@/lib/audit/chain";
import { decodeList } from "@/lib/db/list-column";
import { fromDate } from "@/lib/input/date-input";

export type SnapshotClient = {
  id: string;
  name: string;
  kind: string;
  credentialType: string;
  scopes: string[];
  canModify: boolean;
  approvedBy: string;
  approvedAt: string;
  credentialIssuedAt: string;
  credentialExpiresAt: string;
  credentialRotatedAt: string;
  lastSeenAt: string;
};

// The snapshot keeps its own list of a grant's facts rather than following lib/clients/record.ts: a
// snapshot is hashed when a review starts and re-checked later, so its format is frozen; a field added
// to the client record must not change the hash of every review already taken.
type ClientRow = {
  id: string;
  name: string;
  kind: string;
  credentialType: string;
  scopes: string;
  canModify: boolean;
  approvedBy: string;
  approvedAt: Date | null;
  credentialIssuedAt: Date | null;
  credentialExpiresAt: Date | null;
  credentialRotatedAt: Date | null;
  lastSeenAt: Date | null;
};

export function toSnapshotClient(c: ClientRow): SnapshotClient {
  return {
    id: c.id,
    name: c.name,
    kind: c.kind,
    credentialType: c.credentialType,
    scopes: decodeList(c.scopes),
    canModify: c.canModify,
    approvedBy: c.approvedBy,
    approvedAt: fromDate(c.approvedAt),
    credentialIssuedAt: fromDate(c.credentialIssuedAt),
    credentialExpiresAt: fromDate(c.credentialExpiresAt),
    credentialRotatedAt: fromDate(c.credentialRotatedAt),
    lastSeenAt: fromDate(c.lastSeenAt),
  };
}

export function buildSnapshot(clients: ClientRow[]): { json: string; hash: string } {
  const json = canonicalJson([...clients].sort((a, b) => a.name.localeCompare(b.name)).map(toSnapshotClient));
  return { json, hash: createHash("sha256").update(json).digest("hex") };
}

export function parseSnapshot(json: string): SnapshotClient[] {
  return json ? (JSON.parse(json) as SnapshotClient[]) : [];
}

export type SnapshotChange = { kind: "added" | "removed" | "changed"; name: string; fields: string[] };

/** How the live grants differ from the snapshot (shown on the review; carried into next quarter). */
export function diffSnapshot(snapshot: SnapshotClient[], live: SnapshotClient[]): SnapshotChange[] {
  const before = new Map(snapshot.map((c) => [c.id, c]));
  const after = new Map(live.map((c) => [c.id, c]));
  const changes: SnapshotChange[] = [];
  for (const c of live) {
    const old = before.get(c.id);
    if (!old) changes.push({ kind: "added", name: c.name, fields: [] });
    else {
      const fields = (Object.keys(c) as (keyof SnapshotClient)[]).filter(
        (k) => canonicalJson(c[k]) !== canonicalJson(old[k]),
      );
      if (fields.length) changes.push({ kind: "changed", name: c.name, fields });
    }
  }
  for (const c of snapshot) if (!after.has(c.id)) changes.push({ kind: "removed", name: c.name, fields: [] });
  return changes;
}
