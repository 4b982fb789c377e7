import "server-only";
import { randomUUID } from "node:crypto";
import { authorizedWrite, type WriteContext } from "@/lib/audit/authorized-write";
import { AppError } from "@/lib/errors";
import { can, requireRolePermission } from "@/lib/authz/policy";
import { ZApiInput } from "@/lib/apis/schemas";
import { fieldErrorsOf } from "@/lib/input/validation";
import { toApiColumns } from "@/lib/apis/api-data";
import { placementProblem } from "@/lib/apis/placement";
import { bulkInsert } from "@/lib/audit/bulk-insert";
import { dbProvider } from "@/lib/db/client";

/**
 * Registers many APIs at once (imports, benchmark seeding): every row validated and authorised first,
 * then all rows and one audit entry per API in a single transaction — any bad row writes nothing.
 */
export async function bulkCreateApis(ctx: WriteContext, rawInputs: unknown[]): Promise<{ count: number }> {
  requireRolePermission(ctx.actor, "api:create");
  const rows = rawInputs.map((raw, index) => {
    const parsed = ZApiInput.safeParse(raw);
    if (!parsed.success)
      throw new AppError("VALIDATION", `Row ${index + 1} is not valid.`, fieldErrorsOf(parsed.error));
    const columns = toApiColumns(parsed.data);
    if (!can(ctx.actor, "api:create", { teamId: columns.teamId, ownerId: columns.ownerId })) {
      throw new AppError("FORBIDDEN", `Row ${index + 1}: you cannot register APIs into that team.`);
    }
    const now = new Date();
    return {
      id: randomUUID().replace(/-/g, "").slice(0, 25),
      ...columns,
      createdById: ctx.actor.id,
      updatedById: ctx.actor.id,
      createdAt: now,
      updatedAt: now,
      version: 1,
    };
  });
  const targets = rows.map((r) => ({ teamId: r.teamId, ownerId: r.ownerId }));
  return authorizedWrite(ctx, { permission: "api:create", loadTarget: async () => targets }, async (tx, audit) => {
    const teamIds = [...new Set(rows.map((r) => r.teamId))];
    const found = await tx.team.count({ where: { id: { in: teamIds } } });
    if (found !== teamIds.length) throw new AppError("VALIDATION", "Some rows name a team that does not exist.");
    const ownerIds = [...new Set(rows.map((r) => r.ownerId).filter((o): o is string => !!o))];
    const owners = new Map(
      (
        await tx.user.findMany({ where: { id: { in: ownerIds }, isActive: true }, select: { id: true, teamId: true } })
      ).map((u) => [u.id, u.teamId]),
    );
    if (owners.size !== ownerIds.length)
      throw new AppError("VALIDATION", "Some rows name an owner who is not an active user.");
    rows.forEach((r, index) => {
      const problem = placementProblem(
        ctx.actor,
        null,
        { teamId: r.teamId, ownerId: r.ownerId },
        r.ownerId ? (owners.get(r.ownerId) ?? null) : null,
      );
      if (problem) throw new AppError("FORBIDDEN", `Row ${index + 1}: ${problem.message}`);
    });
    await bulkInsert(tx, dbProvider(), "Api", rows);
    await audit(
      rows.map((r) => {
        const { searchText: _s, createdAt: _c, updatedAt: _u, version: _v, ...after } = r;
        return {
          action: "api.create",
          targetType: "api",
          targetId: r.id,
          summary: `Registered API “${r.name}” (bulk)`,
          after,
        };
      }),
    );
    return { count: rows.length };
  });
}
