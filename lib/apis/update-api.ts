import "server-only";
import { authorizedWrite, type AuditInput, type WriteContext } from "@/lib/audit/authorized-write";
import type { Tx } from "@/lib/db/client";
import { staleVersion } from "@/lib/errors";
import { ZApiInput, type TApiInput } from "@/lib/apis/schemas";
import { parseOrThrow } from "@/lib/input/validation";
import { auditView, checkReferences, specFactsOf, toApiColumns } from "@/lib/apis/api-data";
import { requireRolePermission } from "@/lib/authz/policy";
import { requirePlacement } from "@/lib/apis/placement";

/**
 * `expectedVersion` is the version the editor loaded; a save made on top of someone else's newer change
 * is refused instead of silently overwriting it.
 */
export async function updateApi(
  ctx: WriteContext,
  id: string,
  expectedVersion: number,
  rawInput: unknown,
): Promise<{ id: string; version: number }> {
  requireRolePermission(ctx.actor, "api:update");
  const input = parseOrThrow(ZApiInput, rawInput);
  return authorizedWrite(
    ctx,
    {
      permission: "api:update",
      loadTarget: (tx) => tx.api.findFirst({ where: { id, deletedAt: null }, select: { ownerId: true, teamId: true } }),
    },
    (tx, audit) => applyApiUpdate(tx, ctx, id, expectedVersion, input, audit),
  );
}

/**
 * The update itself, inside the caller's transaction (the caller has checked api:update on the API;
 * a change of team or owner is checked here): also used by imports that change many APIs in one
 * transaction. `expectedVersion` null = no check.
 */
export async function applyApiUpdate(
  tx: Tx,
  ctx: WriteContext,
  id: string,
  expectedVersion: number | null,
  input: TApiInput,
  audit: (entry: AuditInput) => Promise<void>,
  summary?: string,
): Promise<{ id: string; version: number }> {
  const before = await tx.api.findUniqueOrThrow({ where: { id } });
  // The attached OpenAPI description keeps counting against the controls after an edit.
  const columns = toApiColumns(input, specFactsOf(before));
  if (expectedVersion !== null && before.version !== expectedVersion) {
    throw staleVersion(
      "Someone else changed this API after you opened it. Reload to see their change, then edit again.",
    );
  }
  await requirePlacement(
    tx,
    ctx.actor,
    id,
    { teamId: before.teamId, ownerId: before.ownerId },
    { teamId: columns.teamId, ownerId: columns.ownerId },
  );
  await checkReferences(tx, input);
  const after = await tx.api.update({
    where: { id },
    data: { ...columns, updatedById: ctx.actor.id, version: { increment: 1 } },
  });
  await audit({
    action: "api.update",
    targetType: "api",
    targetId: id,
    summary: summary ?? `Updated API “${after.name}”`,
    before: auditView(before),
    after: auditView(after),
  });
  return { id, version: after.version };
}
