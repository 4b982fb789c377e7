import "server-only";
import type { Tx } from "@/lib/db/client";
import { encodeList } from "@/lib/db/list-column";
import { type TClientInput } from "@/lib/clients/schemas";
import { toDate } from "@/lib/input/date-input";

export function toClientColumns(input: TClientInput) {
  return {
    name: input.name,
    kind: input.kind,
    credentialType: input.credentialType,
    scopes: encodeList(input.scopes),
    canModify: input.canModify,
    approvedBy: input.approvedBy,
    approvedAt: toDate(input.approvedAt),
    credentialIssuedAt: toDate(input.credentialIssuedAt),
    credentialExpiresAt: toDate(input.credentialExpiresAt),
    credentialRotatedAt: toDate(input.credentialRotatedAt),
    lastSeenAt: toDate(input.lastSeenAt),
    notes: input.notes,
  };
}

/** The permission target of a client change: the API it belongs to (live APIs only). */
export function apiTarget(apiId: string) {
  return (tx: Tx) =>
    tx.api.findFirst({ where: { id: apiId, deletedAt: null }, select: { ownerId: true, teamId: true } });
}

export function clientAuditView(row: Record<string, unknown>): Record<string, unknown> {
  const { createdAt: _c, updatedAt: _u, version: _v, ...rest } = row;
  return rest;
}
