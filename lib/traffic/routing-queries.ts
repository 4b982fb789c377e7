import "server-only";
import { db } from "@/lib/db/client";
import { requirePermission, type Actor } from "@/lib/authz/policy";
import { byPrecedence, normalisePrefix } from "@/lib/traffic/routing";

// What the routing page shows: each team's rules in the order they are tried, rules suggested from the
// APIs' own base URLs, and the traffic that went to no API (discovered APIs).

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

/** The host and path prefix a base URL stands for, or null when it is not an http(s) URL. */
export function routeOfBaseUrl(baseUrl: string): { host: string; pathPrefix: string } | null {
  try {
    const url = new URL(baseUrl);
    if (url.protocol !== "https:" && url.protocol !== "http:") return null;
    const host = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
    const path = normalisePrefix(decodeURI(url.pathname));
    return { host, pathPrefix: path === "/" ? "" : path };
  } catch {
    return null;
  }
}

export async function listRouting(actor: Actor | null) {
  requirePermission(actor, "traffic:manage");
  const [routes, apis, teams, discovered] = await Promise.all([
    db.trafficRoute.findMany(),
    db.api.findMany({ select: { id: true, name: true, teamId: true, deletedAt: true, environments: true } }),
    db.team.findMany({ select: { id: true, name: true } }),
    db.discoveredApi.findMany({ orderBy: [{ lastSeenAt: "desc" }, { id: "asc" }], take: 500 }),
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
  for (const api of apis) {
    if (api.deletedAt || !api.teamId) continue;
    for (const env of JSON.parse(api.environments) as { name: string; baseUrl: string }[]) {
      const route = routeOfBaseUrl(env.baseUrl);
      if (!route || ruled.has(`${api.teamId} ${route.host} ${route.pathPrefix} `)) continue;
      ruled.add(`${api.teamId} ${route.host} ${route.pathPrefix} `);
      suggestions.push({
        teamId: api.teamId,
        team: teamName.get(api.teamId) ?? "",
        apiId: api.id,
        api: api.name,
        ...route,
        from: `${env.name} base URL`,
      });
    }
  }
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
    apis: apis
      .filter((a) => !a.deletedAt && a.teamId)
      .map((a) => ({ id: a.id, name: a.name, teamId: a.teamId! }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    teams: teams.sort((a, b) => a.name.localeCompare(b.name)),
  };
}
