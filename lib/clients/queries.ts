import "server-only";
import { db } from "@/lib/db/client";
import { requirePermission, type Actor } from "@/lib/authz/policy";
import { decodeList } from "@/lib/db/list-column";
import { grantFlags } from "@/lib/clients/flags";
import { fromDate } from "@/lib/input/date-input";
import { getSettings } from "@/lib/settings/queries";
import type { Sensitivity } from "@/lib/apis/enums";
import type { ClientKind, CredentialType } from "@/lib/clients/enums";

/** An API's clients with their review flags. */
export async function listClients(actor: Actor | null, apiId: string, sensitivity: Sensitivity) {
  requirePermission(actor, "api:read");
  const [rows, settings] = await Promise.all([
    db.apiClient.findMany({ where: { apiId }, orderBy: { name: "asc" } }),
    getSettings(),
  ]);
  const now = new Date();
  const clients = rows.map((r) => ({
    id: r.id,
    version: r.version,
    name: r.name,
    kind: r.kind as ClientKind,
    credentialType: r.credentialType as CredentialType,
    scopes: decodeList(r.scopes),
    canModify: r.canModify,
    approvedBy: r.approvedBy,
    approvedAt: fromDate(r.approvedAt),
    credentialIssuedAt: fromDate(r.credentialIssuedAt),
    credentialExpiresAt: fromDate(r.credentialExpiresAt),
    credentialRotatedAt: fromDate(r.credentialRotatedAt),
    lastSeenAt: fromDate(r.lastSeenAt),
    notes: r.notes,
    flags: grantFlags(r, sensitivity, settings, now),
  }));
  // Most flags first: the grants that need a look lead the list (sort is stable, so names stay in order).
  return { clients: clients.sort((a, b) => b.flags.length - a.flags.length), settings };
}
export type ClientRow = Awaited<ReturnType<typeof listClients>>["clients"][number];
