import "server-only";
import { authorizedWrite, type WriteContext } from "@/lib/audit/authorized-write";
import { AppError } from "@/lib/errors";
import { requireRolePermission } from "@/lib/authz/policy";
import { generatePassword, hashPassword } from "@/lib/auth/password";
import { ZUserCreate } from "@/lib/users/schemas";
import { parseOrThrow } from "@/lib/input/validation";

/** Creates an account with a one-time password, returned once and never stored in clear. */
export async function createUser(
  ctx: WriteContext,
  rawInput: unknown,
  options: { password?: string; isDemo?: boolean } = {},
): Promise<{ id: string; oneTimePassword: string }> {
  requireRolePermission(ctx.actor, "user:manage");
  const input = parseOrThrow(ZUserCreate, rawInput);
  const password = options.password ?? generatePassword();
  const passwordHash = await hashPassword(password);
  return authorizedWrite(ctx, { permission: "user:manage" }, async (tx, audit) => {
    if (await tx.user.findUnique({ where: { email: input.email }, select: { id: true } })) {
      throw new AppError("CONFLICT", "A user with that email already exists.", {
        email: ["A user with that email already exists."],
      });
    }
    if (input.teamId && !(await tx.team.findUnique({ where: { id: input.teamId }, select: { id: true } }))) {
      throw new AppError("VALIDATION", "Some fields need attention.", { teamId: ["Choose an existing team."] });
    }
    const user = await tx.user.create({
      data: {
        email: input.email,
        name: input.name,
        role: input.role,
        teamId: input.teamId || null,
        passwordHash,
        mustChangePassword: options.password === undefined,
        isDemo: options.isDemo ?? false,
      },
    });
    await audit({
      action: "user.create",
      targetType: "user",
      targetId: user.id,
      summary: `Created user ${user.email} (${user.role})`,
      after: { email: user.email, name: user.name, role: user.role, teamId: user.teamId, isActive: user.isActive },
    });
    return { id: user.id, oneTimePassword: password };
  });
}
