import "server-only";
import type { Tx } from "@/lib/db/client";
import { decodeList, encodeList } from "@/lib/db/list-column";
import type { Prisma } from "@/lib/generated/prisma-sqlite/client";
import type { ClientRecord } from "@/lib/clients/record";
import type { ClientKind, CredentialType } from "@/lib/clients/enums";
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

/** A stored row as the client record every output reads (lib/clients/record.ts). */
export function toClientRecord(row: Prisma.ApiClientGetPayload<object>): ClientRecord {
  return {
    id: row.id,
    version: row.version,
    name: row.name,
    kind: row.kind as ClientKind,
    credentialType: row.credentialType as CredentialType,
    scopes: decodeList(row.scopes),
    canModify: row.canModify,
    approvedBy: row.approvedBy,
    approvedAt: row.approvedAt,
    credentialIssuedAt: row.credentialIssuedAt,
    credentialExpiresAt: row.credentialExpiresAt,
    credentialRotatedAt: row.credentialRotatedAt,
    lastSeenAt: row.lastSeenAt,
    notes: row.notes,
    createdAt: row.createdAt,
  };
}
