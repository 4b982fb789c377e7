import "server-only";
import { authorizedWrite, type WriteContext } from "@/lib/audit/authorized-write";
import { requireRolePermission } from "@/lib/authz/policy";
import { AppError } from "@/lib/errors";
import { parseOrThrow } from "@/lib/input/validation";
import { getSettings } from "@/lib/settings/queries";
import { requireRecentSignIn } from "@/lib/sessions/limits";
import { insertServiceAccount } from "@/lib/tokens/create-service-account";
import { insertToken } from "@/lib/tokens/create-token";
import { generateTokenSecret } from "@/lib/tokens/token-secret";
import { ZTrafficSourceInput } from "@/lib/traffic/schemas";

const fieldError = (field: string, message: string) =>
  new AppError("VALIDATION", "Some fields need attention.", { [field]: [message] });

/**
 * Registers a traffic source with its own service account (a manager of the source's team, so it may
 * send events for that team's APIs only) and that account's first token: events:write, limited to the
 * team, for the administrator's longest token lifetime. The token's secret is returned once; later
 * tokens are made on the service account like any other's.
 */
export async function createTrafficSource(
  ctx: WriteContext,
  rawInput: unknown,
): Promise<{ id: string; secret: string; expiresAt: string }> {
  requireRolePermission(ctx.actor, "traffic:manage");
  if (ctx.actor.kind !== "user") throw new AppError("FORBIDDEN", "A traffic source is registered by an admin.");
  requireRecentSignIn(ctx.actor.session, "registering a traffic source");
  const input = parseOrThrow(ZTrafficSourceInput, rawInput);
  // A mapping belongs to the "any JSON" format only; the others read their vendor's fields.
  const mapping = input.profile === "json" && input.mapping ? input.mapping : null;
  const { tokenMaxDays } = await getSettings();
  const secret = generateTokenSecret();
  const expiresAt = new Date(Date.now() + tokenMaxDays * 86_400_000);
  const actorId = ctx.actor.id;
  return authorizedWrite(ctx, { permission: "traffic:manage" }, async (tx, audit) => {
    if (!(await tx.team.count({ where: { id: input.teamId } }))) throw fieldError("teamId", "Choose an existing team.");
    if (input.apiId) {
      const api = await tx.api.findFirst({ where: { id: input.apiId, deletedAt: null }, select: { teamId: true } });
      if (!api) throw fieldError("apiId", "Choose an API of the inventory.");
      if (api.teamId !== input.teamId) throw fieldError("apiId", "Choose one of the team's APIs.");
    }
    if (await tx.trafficSource.count({ where: { name: input.name } }))
      throw fieldError("name", "A source already has this name.");
    // The account and its token are made, and audited, as any other service account and token are.
    const account = await insertServiceAccount(tx, audit, {
      name: `Traffic source: ${input.name}`,
      role: "MANAGER",
      teamId: input.teamId,
      why: "for a traffic source",
    });
    const token = await insertToken(tx, audit, {
      name: `Traffic source ${input.name}`,
      userId: account.id,
      secret,
      scopes: ["events:write"],
      teamId: input.teamId,
      expiresAt,
      createdById: actorId,
    });
    const source = await tx.trafficSource.create({
      data: {
        name: input.name,
        profile: input.profile,
        lenient: input.lenient,
        teamId: input.teamId,
        apiId: input.apiId || null,
        mapping: mapping ? JSON.stringify(mapping) : null,
        serviceAccountId: account.id,
        createdById: actorId,
      },
    });
    await audit({
      action: "traffic-source.create",
      targetType: "traffic-source",
      targetId: source.id,
      summary: `Traffic source “${input.name}” registered (${input.profile}, ${input.lenient ? "lenient" : "strict"}), with token ${token.prefix}…`,
      after: {
        name: input.name,
        profile: input.profile,
        lenient: input.lenient,
        teamId: input.teamId,
        apiId: source.apiId,
        ...(mapping ? { mapping } : {}),
        serviceAccountId: account.id,
        tokenId: token.id,
        tokenPrefix: token.prefix,
        expiresAt: expiresAt.toISOString(),
      },
    });
    return { id: source.id, secret, expiresAt: expiresAt.toISOString() };
  });
}
