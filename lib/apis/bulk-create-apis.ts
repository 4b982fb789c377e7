import "server-only";
import { randomUUID } from "node:crypto";
import { authorizedWrite, type WriteContext } from "@/lib/audit/authorized-write";
import { AppError } from "@/lib/errors";
import { can, requireRolePermission } from "@/lib/authz/policy";
import { ZApiInput, fieldErrorsOf } from "@/lib/apis/schemas";
import { toApiColumns } from "@/lib/apis/api-data";

/**
 * Registers many APIs at once (imports, benchmark seeding): every row validated and authorised first,
 * then all rows and one audit entry per API in a single transaction — any bad row writes nothing.
 */
export async function bulkCreateApis(ctx: WriteContext, rawInputs: unknown[]): Promise<{ count: number }> {
  requireRolePermission(ctx.actor, "api:create");
  const rows = rawInputs.map((raw, index) => {
    const parsed = ZApiInput.safeParse(raw);
    if (!parsed.success) throw new AppError("VALIDATION", `Row ${index + 1} is not valid.`, fieldErrorsOf(parsed.error));
    const columns = toApiColumns(parsed.data);
    if (!can(ctx.actor, "api:create", { teamId: columns.teamId, ownerId: columns.ownerId })) {
      throw new AppError("FORBIDDEN", `Row ${index + 1}: you cannot register APIs into that team.`);
    }
    return { id: randomUUID().replace(/-/g, "").slice(0, 25), ...columns, createdById: ctx.actor.id, updatedById: ctx.actor.id };
  });
  return authorizedWrite(ctx, { action: "api:create" }, async (tx, audit) => {
    const teamIds = [...new Set(rows.map((r) => r.teamId))];
    const found = await tx.team.count({ where: { id: { in: teamIds } } });
    if (found !== teamIds.length) throw new AppError("VALIDATION", "Some rows name a team that does not exist.");
    const ownerIds = [...new Set(rows.map((r) => r.ownerId).filter((o): o is string => !!o))];
    const owners = await tx.user.count({ where: { id: { in: ownerIds }, isActive: true } });
    if (owners !== ownerIds.length) throw new AppError("VALIDATION", "Some rows name an owner who is not an active user.");
    for (let i = 0; i < rows.length; i += 400) await tx.api.createMany({ data: rows.slice(i, i + 400) });
    await audit(
      rows.map((r) => {
        const { searchText: _s, ...after } = r;
        return { action: "api.create", targetType: "api", targetId: r.id, summary: `Registered API “${r.name}” (bulk)`, after };
      }),
    );
    return { count: rows.length };
  });
}
