import "server-only";
import { randomBytes } from "node:crypto";
import { authorizedWrite, type Audit, type WriteContext } from "@/lib/audit/authorized-write";
import type { Role } from "@/lib/authz/policy";
import type { Tx } from "@/lib/db/client";
import { requireRolePermission } from "@/lib/authz/policy";
import { AppError } from "@/lib/errors";
import { parseOrThrow } from "@/lib/input/validation";
import { ZServiceAccountInput } from "@/lib/tokens/schemas";

/**
 * A service account is an account for a pipeline or gateway: no password (it cannot sign in to the
 * dashboard), never an admin, and it acts only through tokens an admin creates for it.
 */
export async function createServiceAccount(ctx: WriteContext, rawInput: unknown): Promise<{ id: string }> {
  requireRolePermission(ctx.actor, "token:manage-service");
  const input = parseOrThrow(ZServiceAccountInput, rawInput);
  return authorizedWrite(ctx, { permission: "token:manage-service" }, async (tx, audit) => {
    if (input.teamId && !(await tx.team.count({ where: { id: input.teamId } })))
      throw new AppError("VALIDATION", "Some fields need attention.", { teamId: ["Choose an existing team."] });
    if (input.role !== "AUDITOR" && !input.teamId)
      throw new AppError("VALIDATION", "Some fields need attention.", {
        teamId: ["A system owner or manager service account belongs to a team."],
      });
    const user = await insertServiceAccount(tx, audit, { name: input.name, role: input.role, teamId: input.teamId });
    return { id: user.id };
  });
}

/**
 * The account itself, in the caller's transaction, with its audit entry: also what a traffic source
 * registers for itself (lib/traffic/create-source.ts). `why` ends the entry's summary.
 */
export async function insertServiceAccount(
  tx: Tx,
  audit: Audit,
  account: { name: string; role: Role; teamId: string | null; why?: string },
): Promise<{ id: string; email: string; name: string }> {
  const slug =
    account.name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "")
      .slice(0, 40) || "service";
  const email = `${slug}.${randomBytes(3).toString("hex")}@service-account.invalid`;
  const user = await tx.user.create({
    data: {
      email,
      name: account.name,
      role: account.role,
      teamId: account.teamId || null,
      isServiceAccount: true,
      passwordHash: null,
    },
  });
  await audit({
    action: "service-account.create",
    targetType: "user",
    targetId: user.id,
    summary: `Service account “${account.name}” created (${account.role})${account.why ? ` ${account.why}` : ""}`,
    after: { email, name: account.name, role: account.role, teamId: user.teamId },
  });
  return { id: user.id, email, name: account.name };
}
