import "server-only";
import { db, type Tx } from "@/lib/db/client";
import type { EventApis } from "@/lib/events/ingest-events";
import { cutText } from "@/lib/input/text";
import type { ObservedCall } from "@/lib/traffic/read-fields";
import { normalisePrefix } from "@/lib/openapi-scan/description-routes";

// Where a call goes: the team's routing rules (most specific first), else the source's own API, else
// nowhere — then the call is counted as unrouted and gathered into a discovered API (a shadow API).

export type RouteRule = { apiId: string; host: string; pathPrefix: string; gatewayRoute: string };
type Source = { teamId: string; apiId: string | null };

// Defined beside the routes a URL or an OpenAPI description stands for (client-safe); kept exported here
// for the rule writes (routes.ts).
export { normalisePrefix };

function prefixMatches(prefix: string, path: string): boolean {
  if (!prefix || prefix === "/") return true;
  return path === prefix || path.startsWith(`${prefix}/`);
}

/** Rules in the order they are tried: a gateway route first, then a host, then the longest path prefix. */
export function byPrecedence(a: RouteRule, b: RouteRule): number {
  return (
    Number(!!b.gatewayRoute) - Number(!!a.gatewayRoute) ||
    Number(!!b.host) - Number(!!a.host) ||
    b.pathPrefix.length - a.pathPrefix.length
  );
}

/** The API a call goes to by the rules, or null. */
export function matchRoute(rules: RouteRule[], call: Pick<ObservedCall, "host" | "path" | "route" | "gatewayRoute">) {
  const path = call.path || call.route;
  for (const rule of rules)
    if (
      (!rule.gatewayRoute || rule.gatewayRoute === call.gatewayRoute) &&
      (!rule.host || rule.host === call.host) &&
      prefixMatches(rule.pathPrefix, path)
    )
      return rule.apiId;
  return null;
}

/**
 * A source's router for one batch: the team's rules to APIs still in the team, and the APIs they name
 * (for storeAuthEvents). Rules to a retired API, or one moved to another team, route nothing.
 */
export async function loadRouter(source: Source, client: Pick<Tx, "trafficRoute" | "api"> = db) {
  const rules = await client.trafficRoute.findMany({
    where: { teamId: source.teamId },
    select: { apiId: true, host: true, pathPrefix: true, gatewayRoute: true },
  });
  const ids = [...new Set([...rules.map((r) => r.apiId), ...(source.apiId ? [source.apiId] : [])])];
  const apis = await client.api.findMany({
    where: { id: { in: ids }, teamId: source.teamId, deletedAt: null },
    select: { id: true, ownerId: true, teamId: true },
  });
  const known: EventApis = new Map(apis.map((a) => [a.id, a]));
  const live = rules.filter((r) => known.has(r.apiId)).sort(byPrecedence);
  const fallback = source.apiId && known.has(source.apiId) ? source.apiId : null;
  return {
    apis: known,
    route: (call: ObservedCall): string | null => matchRoute(live, call) ?? fallback,
  };
}
export type Router = Awaited<ReturnType<typeof loadRouter>>;

// Version and namespace segments that say nothing of which API it is: /v1/orders is the orders API.
const GENERIC_SEGMENT = /^(v\d+(\.\d+)*|api|apis|rest|public|internal)$/i;

/** The path prefix a discovered API is known by: its first segment, after any version or /api segments. */
export function discoveryPrefix(path: string): string {
  const segments = path.split("/").filter(Boolean);
  const kept: string[] = [];
  for (const segment of segments.slice(0, 4)) {
    kept.push(segment);
    if (!GENERIC_SEGMENT.test(segment)) break;
  }
  return cutText(`/${kept.join("/")}`, 200);
}

const SAMPLE = 20;
/** Hosts and prefixes one batch may add: a batch of 10,000 made-up hosts must not become 10,000 rows. */
export const DISCOVERIES_PER_BATCH = 100;
type Seen = { calls: number; failures: number; methods: Set<string>; paths: Set<string>; callers: Set<string> };

/** Unrouted calls gathered by host and prefix, for the discovered APIs. */
export class Discoveries {
  readonly seen = new Map<string, Seen & { host: string; pathPrefix: string; first: Date; last: Date }>();

  add(call: ObservedCall): void {
    const pathPrefix = discoveryPrefix(call.path || call.route);
    const key = `${call.host}\u0000${pathPrefix}`;
    let entry = this.seen.get(key);
    if (!entry) {
      if (this.seen.size >= DISCOVERIES_PER_BATCH) return;
      entry = {
        host: call.host,
        pathPrefix,
        first: call.time,
        last: call.time,
        calls: 0,
        failures: 0,
        methods: new Set(),
        paths: new Set(),
        callers: new Set(),
      };
      this.seen.set(key, entry);
    }
    entry.calls++;
    if (call.outcome !== "success") entry.failures++;
    if (call.time < entry.first) entry.first = call.time;
    if (call.time > entry.last) entry.last = call.time;
    if (entry.methods.size < SAMPLE) entry.methods.add(call.method);
    if (entry.paths.size < SAMPLE) entry.paths.add(call.route || call.path);
    if (call.clientId && entry.callers.size < SAMPLE) entry.callers.add(call.clientId);
  }

  /** Adds what was gathered to the team's discovered APIs, in the batch's transaction. */
  async save(tx: Pick<Tx, "discoveredApi">, teamId: string): Promise<number> {
    if (!this.seen.size) return 0;
    const existing = await tx.discoveredApi.findMany({
      where: { teamId, OR: [...this.seen.values()].map((s) => ({ host: s.host, pathPrefix: s.pathPrefix })) },
    });
    const byKey = new Map(existing.map((d) => [`${d.host}\u0000${d.pathPrefix}`, d]));
    const merge = (stored: string, added: Set<string>) =>
      JSON.stringify([...new Set([...(JSON.parse(stored) as string[]), ...added])].slice(0, SAMPLE));
    for (const [key, s] of this.seen) {
      const found = byKey.get(key);
      if (found)
        await tx.discoveredApi.update({
          where: { id: found.id },
          data: {
            firstSeenAt: s.first < found.firstSeenAt ? s.first : found.firstSeenAt,
            lastSeenAt: s.last > found.lastSeenAt ? s.last : found.lastSeenAt,
            calls: { increment: s.calls },
            failures: { increment: s.failures },
            methods: merge(found.methods, s.methods),
            paths: merge(found.paths, s.paths),
            callers: merge(found.callers, s.callers),
          },
        });
      else
        await tx.discoveredApi.create({
          data: {
            teamId,
            host: s.host,
            pathPrefix: s.pathPrefix,
            firstSeenAt: s.first,
            lastSeenAt: s.last,
            calls: s.calls,
            failures: s.failures,
            methods: merge("[]", s.methods),
            paths: merge("[]", s.paths),
            callers: merge("[]", s.callers),
          },
        });
    }
    return this.seen.size;
  }
}
