import "server-only";
import { authorizedWrite, type Audit, type WriteContext } from "@/lib/audit/authorized-write";
import { requireRolePermission } from "@/lib/authz/policy";
import type { Tx } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { parseOrThrow } from "@/lib/input/validation";
import { normalisePrefix } from "@/lib/traffic/routing";
import { ZIgnoreDiscoveredInput, ZTrafficRouteInput, type TTrafficRouteInput } from "@/lib/traffic/schemas";

// Routing rules and discovered APIs (issue 17): an admin says which API a team's traffic is for, and
// decides what to do with traffic to no registered API — route it to one (registered from it, or already
// there) or ignore it with a reason. Each is one audited write.

const fieldError = (field: string, message: string) =>
  new AppError("VALIDATION", "Some fields need attention.", { [field]: [message] });

/** Inserts a rule after checking its API is one of the team's; marks the discovered APIs it now takes. */
async function insertRoute(tx: Tx, audit: Audit, input: TTrafficRouteInput, actorId: string | null) {
  const api = await tx.api.findFirst({
    where: { id: input.apiId, deletedAt: null },
    select: { id: true, name: true, teamId: true },
  });
  if (!api) throw fieldError("apiId", "Choose an API of the inventory.");
  if (api.teamId !== input.teamId) throw fieldError("apiId", "Choose one of the team's APIs.");
  const rule = { ...input, pathPrefix: normalisePrefix(input.pathPrefix) };
  const same = { teamId: rule.teamId, host: rule.host, pathPrefix: rule.pathPrefix, gatewayRoute: rule.gatewayRoute };
  if (await tx.trafficRoute.count({ where: same }))
    throw fieldError("host", "The team already has a rule for this host, path prefix and gateway route.");
  const route = await tx.trafficRoute.create({ data: { ...rule, createdById: actorId } });
  // Discovered APIs the rule takes from now on (by host and prefix: a gateway route is not kept for them).
  const taken = rule.gatewayRoute
    ? []
    : (
        await tx.discoveredApi.findMany({
          where: { teamId: rule.teamId, status: "NEW", ...(rule.host ? { host: rule.host } : {}) },
          select: { id: true, pathPrefix: true },
        })
      ).filter(
        (d) =>
          !rule.pathPrefix ||
          rule.pathPrefix === "/" ||
          d.pathPrefix === rule.pathPrefix ||
          d.pathPrefix.startsWith(`${rule.pathPrefix}/`),
      );
  if (taken.length)
    await tx.discoveredApi.updateMany({
      where: { id: { in: taken.map((d) => d.id) } },
      data: { status: "REGISTERED", apiId: api.id, decidedById: actorId, decidedAt: new Date() },
    });
  await audit({
    action: "traffic-route.create",
    targetType: "traffic-route",
    targetId: route.id,
    summary: `Traffic to ${describeRule(rule)} goes to “${api.name}”${taken.length ? ` (${taken.length} discovered API(s) now routed)` : ""}`,
    after: { ...same, apiId: api.id },
    ...(taken.length ? { details: { discoveredRouted: taken.map((d) => d.id) } } : {}),
  });
  return route;
}

/** "host orders.internal.example, path /v1/orders, gateway route orders-route", as people read a rule. */
export function describeRule(rule: { host: string; pathPrefix: string; gatewayRoute: string }): string {
  return (
    [
      rule.host && `host ${rule.host}`,
      rule.pathPrefix && `path ${rule.pathPrefix}`,
      rule.gatewayRoute && `gateway route ${rule.gatewayRoute}`,
    ]
      .filter(Boolean)
      .join(", ") || "anything"
  );
}

const actorIdOf = (ctx: WriteContext) => (ctx.actor.kind === "user" ? ctx.actor.id : null);

export async function createTrafficRoute(ctx: WriteContext, rawInput: unknown): Promise<{ id: string }> {
  requireRolePermission(ctx.actor, "traffic:manage");
  const input = parseOrThrow(ZTrafficRouteInput, rawInput);
  return authorizedWrite(ctx, { permission: "traffic:manage" }, async (tx, audit) => {
    if (!(await tx.team.count({ where: { id: input.teamId } }))) throw fieldError("teamId", "Choose an existing team.");
    const route = await insertRoute(tx, audit, input, actorIdOf(ctx));
    return { id: route.id };
  });
}

export async function deleteTrafficRoute(ctx: WriteContext, id: string): Promise<void> {
  requireRolePermission(ctx.actor, "traffic:manage");
  await authorizedWrite(ctx, { permission: "traffic:manage" }, async (tx, audit) => {
    const route = await tx.trafficRoute.findUnique({ where: { id } });
    if (!route) throw new AppError("NOT_FOUND", "That routing rule does not exist or was deleted.");
    await tx.trafficRoute.delete({ where: { id } });
    await audit({
      action: "traffic-route.delete",
      targetType: "traffic-route",
      targetId: id,
      summary: `Routing rule for ${describeRule(route)} deleted`,
      before: {
        teamId: route.teamId,
        apiId: route.apiId,
        host: route.host,
        pathPrefix: route.pathPrefix,
        gatewayRoute: route.gatewayRoute,
      },
    });
  });
}

/** Routes a discovered API's traffic (its host and prefix) to an API of its team, from now on. */
export async function routeDiscoveredApi(ctx: WriteContext, id: string, apiId: string): Promise<{ id: string }> {
  requireRolePermission(ctx.actor, "traffic:manage");
  return authorizedWrite(ctx, { permission: "traffic:manage" }, async (tx, audit) => {
    const found = await tx.discoveredApi.findUnique({ where: { id } });
    if (!found) throw new AppError("NOT_FOUND", "That discovered API does not exist.");
    const route = await insertRoute(
      tx,
      audit,
      { teamId: found.teamId, apiId, host: found.host, pathPrefix: found.pathPrefix, gatewayRoute: "" },
      actorIdOf(ctx),
    );
    return { id: route.id };
  });
}

/** Ignores a discovered API with a reason: it keeps counting, out of the way, and can be routed later. */
export async function ignoreDiscoveredApi(ctx: WriteContext, id: string, rawInput: unknown): Promise<void> {
  requireRolePermission(ctx.actor, "traffic:manage");
  const { reason } = parseOrThrow(ZIgnoreDiscoveredInput, rawInput);
  await authorizedWrite(ctx, { permission: "traffic:manage" }, async (tx, audit) => {
    const found = await tx.discoveredApi.findUnique({ where: { id } });
    if (!found) throw new AppError("NOT_FOUND", "That discovered API does not exist.");
    if (found.status !== "NEW") throw new AppError("CONFLICT", "It was already routed or ignored; reload the page.");
    await tx.discoveredApi.update({
      where: { id, version: found.version },
      data: {
        status: "IGNORED",
        reason,
        decidedById: actorIdOf(ctx),
        decidedAt: new Date(),
        version: { increment: 1 },
      },
    });
    await audit({
      action: "discovered-api.ignore",
      targetType: "discovered-api",
      targetId: id,
      summary: `Traffic to ${found.host || "an unknown host"}${found.pathPrefix} ignored: ${reason}`,
      before: { status: found.status, reason: found.reason },
      after: { status: "IGNORED", reason },
    });
  });
}
