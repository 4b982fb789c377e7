import "server-only";
import { authorizedWrite, type WriteContext } from "@/lib/audit/authorized-write";
import { AppError } from "@/lib/errors";
import { requireRolePermission } from "@/lib/authz/policy";
import { parseOrThrow } from "@/lib/input/validation";
import { ZTeamCreate } from "@/lib/teams/schemas";

export async function createTeam(ctx: WriteContext, rawInput: unknown): Promise<{ id: string }> {
  requireRolePermission(ctx.actor, "team:manage");
  const input = parseOrThrow(ZTeamCreate, rawInput);
  return authorizedWrite(ctx, { permission: "team:manage" }, async (tx, audit) => {
    if (await tx.team.findUnique({ where: { name: input.name }, select: { id: true } })) {
      throw new AppError("CONFLICT", "A team with that name already exists.", {
        name: ["A team with that name already exists."],
      });
    }
    const team = await tx.team.create({ data: input });
    await audit({
      action: "team.create",
      targetType: "team",
      targetId: team.id,
      summary: `Created team ${team.name}`,
      after: input,
    });
    return { id: team.id };
  });
}
