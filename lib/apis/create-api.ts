import "server-only";
import { authorizedWrite, type AuditInput, type WriteContext } from "@/lib/audit/authorized-write";
import type { Tx } from "@/lib/db/client";
import { requireRolePermission } from "@/lib/authz/policy";
import { ZApiInput, type TApiInput } from "@/lib/apis/schemas";
import { parseOrThrow } from "@/lib/input/validation";
import { auditView, checkReferences, toApiColumns } from "@/lib/apis/api-data";
import { requirePlacement } from "@/lib/apis/placement";

export async function createApi(ctx: WriteContext, rawInput: unknown): Promise<{ id: string }> {
  requireRolePermission(ctx.actor, "api:create");
  const input = parseOrThrow(ZApiInput, rawInput);
  const columns = toApiColumns(input);
  return authorizedWrite(
    ctx,
    // A new API's target is the team it is registered into (system owners may only use their own).
    { permission: "api:create", loadTarget: async () => ({ teamId: input.teamId, ownerId: columns.ownerId }) },
    (tx, audit) => insertApi(tx, ctx, input, audit),
  );
}

/**
 * The insert itself, inside the caller's transaction (the caller has checked api:create on the team;
 * naming an owner is checked here).
 */
export async function insertApi(
  tx: Tx,
  ctx: WriteContext,
  input: TApiInput,
  audit: (entry: AuditInput) => Promise<void>,
  summary?: string,
): Promise<{ id: string }> {
  const columns = toApiColumns(input);
  await requirePlacement(tx, ctx.actor, null, null, { teamId: columns.teamId, ownerId: columns.ownerId });
  await checkReferences(tx, input);
  const created = await tx.api.create({ data: { ...columns, createdById: ctx.actor.id, updatedById: ctx.actor.id } });
  await audit({
    action: "api.create",
    targetType: "api",
    targetId: created.id,
    summary: summary ?? `Registered API “${created.name}”`,
    after: auditView(created),
  });
  return { id: created.id };
}
