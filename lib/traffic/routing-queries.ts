import "server-only";
import { text } from "node:stream/consumers";
import { db } from "@/lib/db/client";
import { requirePermission, type Actor } from "@/lib/authz/policy";
import {
  descriptionRoutes,
  routeOfUrl,
  storedRoutes,
  type DescribedRoute,
} from "@/lib/openapi-scan/description-routes";
import { parseDescription } from "@/lib/openapi-scan/parse";
import { blobStore } from "@/lib/storage/blob-store";
import { byPrecedence } from "@/lib/traffic/routing";
import { ZTrafficRouteInput } from "@/lib/traffic/schemas";

// What the routing page shows: each team's rules in the order they are tried, rules suggested from the
// APIs' own base URLs and OpenAPI descriptions (servers and paths), and the traffic that went to no API
// (discovered APIs).

export type RouteRow = {
  id: string;
  team: string;
  api: { id: string; name: string; retired: boolean };
  host: string;
  pathPrefix: string;
  gatewayRoute: string;
};
export type RouteSuggestion = {
  teamId: string;
  team: string;
  apiId: string;
  api: string;
  host: string;
  pathPrefix: string;
  /** Where it comes from: "Production base URL". */
  from: string;
};
export type DiscoveredRow = {
  id: string;
  teamId: string;
  team: string;
  host: string;
  pathPrefix: string;
  firstSeenAt: string;
  lastSeenAt: string;
  calls: number;
  failures: number;
  methods: string[];
  paths: string[];
  callers: string[];
  status: "NEW" | "IGNORED" | "REGISTERED";
  reason: string;
  api: { id: string; name: string } | null;
};

const list = (json: string): string[] => {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
  } catch {
    return [];
  }
};

/** Descriptions scanned before their routes were kept, read and parsed per page load: the rest wait. */
const LEGACY_DESCRIPTIONS_PER_LOAD = 200;
/** No further one is started once this much time went into them: a 500 kB YAML file takes 0.3 s. */
const LEGACY_BUDGET_MS = 3000;
export const FROM_DESCRIPTION = "OpenAPI description's servers and paths";

/**
 * Routes of the files read so far, by SHA-256: a file's routes never change (its name is its content),
 * so a page load parses each old file once per process, not once per load. Bounded: oldest out first.
 */
const legacyRoutes = new Map<string, DescribedRoute[]>();
const LEGACY_CACHE = 5000;

async function routesOfFile(sha256: string): Promise<DescribedRoute[] | null> {
  let routes: DescribedRoute[];
  try {
    const description = await text(await blobStore().open(sha256));
    try {
      routes = descriptionRoutes(parseDescription(description).doc);
    } catch {
      // A file today's parser refuses suggests nothing, now and next time.
      routes = [];
    }
  } catch {
    // A file that cannot be read now (missing, or the disk failing): no suggestion this time.
    return null;
  }
  legacyRoutes.set(sha256, routes);
  if (legacyRoutes.size > LEGACY_CACHE) legacyRoutes.delete(legacyRoutes.keys().next().value!);
  return routes;
}

/**
 * Each live API's description's routes: as kept at its scan, or — for one scanned before they were kept
 * — read from its file, one at a time (a file may be 10 MB), for at most LEGACY_DESCRIPTIONS_PER_LOAD
 * files and LEGACY_BUDGET_MS per load. Nothing is written: the next scan keeps them.
 */
async function describedRoutes(): Promise<Map<string, DescribedRoute[]>> {
  const rows = await db.apiDescription.findMany({
    where: { api: { deletedAt: null } },
    select: { apiId: true, fileSha256: true, routes: true },
    orderBy: { apiId: "asc" },
  });
  const byApi = new Map<string, DescribedRoute[]>();
  const started = Date.now();
  let parsed = 0;
  for (const row of rows) {
    if (row.routes !== null) {
      byApi.set(row.apiId, storedRoutes(row.routes) ?? []);
      continue;
    }
    const known = legacyRoutes.get(row.fileSha256);
    if (known) byApi.set(row.apiId, known);
    else if (parsed < LEGACY_DESCRIPTIONS_PER_LOAD && Date.now() - started < LEGACY_BUDGET_MS) {
      parsed++;
      const routes = await routesOfFile(row.fileSha256);
      if (routes) byApi.set(row.apiId, routes);
    }
  }
  return byApi;
}

/** A suggestion "Add rule" can take as it is (the rule's own schema, nothing trimmed or lowered). */
function isAddable(teamId: string, apiId: string, route: DescribedRoute): boolean {
  const parsed = ZTrafficRouteInput.safeParse({ teamId, apiId, ...route, gatewayRoute: "" });
  return parsed.success && parsed.data.host === route.host && parsed.data.pathPrefix === route.pathPrefix;
}

export async function listRouting(actor: Actor | null) {
  requirePermission(actor, "traffic:manage");
  const [routes, apis, teams, discovered, described] = await Promise.all([
    db.trafficRoute.findMany(),
    db.api.findMany({ select: { id: true, name: true, teamId: true, deletedAt: true, environments: true } }),
    db.team.findMany({ select: { id: true, name: true } }),
    db.discoveredApi.findMany({ orderBy: [{ lastSeenAt: "desc" }, { id: "asc" }], take: 500 }),
    describedRoutes(),
  ]);
  const teamName = new Map(teams.map((t) => [t.id, t.name]));
  const apiById = new Map(apis.map((a) => [a.id, a]));
  const rules: RouteRow[] = routes
    .sort((a, b) => (teamName.get(a.teamId) ?? "").localeCompare(teamName.get(b.teamId) ?? "") || byPrecedence(a, b))
    .map((r) => {
      const api = apiById.get(r.apiId);
      return {
        id: r.id,
        team: teamName.get(r.teamId) ?? "deleted team",
        api: { id: r.apiId, name: api?.name ?? "deleted API", retired: !api || api.deletedAt !== null },
        host: r.host,
        pathPrefix: r.pathPrefix,
        gatewayRoute: r.gatewayRoute,
      };
    });
  const ruled = new Set(routes.map((r) => `${r.teamId} ${r.host} ${r.pathPrefix} ${r.gatewayRoute}`));
  const suggestions: RouteSuggestion[] = [];
  const live = apis.filter((a) => !a.deletedAt && a.teamId);
  const suggest = (api: (typeof live)[number], route: DescribedRoute, from: string) => {
    const key = `${api.teamId} ${route.host} ${route.pathPrefix} `;
    if (ruled.has(key) || !isAddable(api.teamId, api.id, route)) return;
    ruled.add(key);
    suggestions.push({
      teamId: api.teamId,
      team: teamName.get(api.teamId) ?? "",
      apiId: api.id,
      api: api.name,
      ...route,
      from,
    });
  };
  // Base URLs first: a route both name is suggested once, from the base URL someone wrote down.
  for (const api of live)
    for (const env of JSON.parse(api.environments) as { name: string; baseUrl: string }[]) {
      const route = routeOfUrl(env.baseUrl);
      if (route) suggest(api, route, `${env.name} base URL`);
    }
  for (const api of live) for (const route of described.get(api.id) ?? []) suggest(api, route, FROM_DESCRIPTION);
  return {
    rules,
    suggestions: suggestions.sort((a, b) => a.api.localeCompare(b.api)),
    discovered: discovered.map((d): DiscoveredRow => ({
      id: d.id,
      teamId: d.teamId,
      team: teamName.get(d.teamId) ?? "deleted team",
      host: d.host,
      pathPrefix: d.pathPrefix,
      firstSeenAt: d.firstSeenAt.toISOString(),
      lastSeenAt: d.lastSeenAt.toISOString(),
      calls: Number(d.calls),
      failures: Number(d.failures),
      methods: list(d.methods),
      paths: list(d.paths),
      callers: list(d.callers),
      status: d.status as DiscoveredRow["status"],
      reason: d.reason,
      api: d.apiId ? { id: d.apiId, name: apiById.get(d.apiId)?.name ?? "deleted API" } : null,
    })),
    /** The APIs a rule can point at, by team (the form's choices). */
    apis: live.map((a) => ({ id: a.id, name: a.name, teamId: a.teamId })).sort((a, b) => a.name.localeCompare(b.name)),
    teams: teams.sort((a, b) => a.name.localeCompare(b.name)),
  };
}
