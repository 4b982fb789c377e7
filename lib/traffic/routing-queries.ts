import "server-only";
import { db } from "@/lib/db/client";
import { requirePermission, type Actor } from "@/lib/authz/policy";
import { byPrecedence, matchRoute, type RouteRule } from "@/lib/traffic/routing";
import { pageWindow, type TablePage } from "@/lib/tables/table-params";
import type { SuggestionView } from "@/lib/traffic/list-view";
import { candidateRoutes, type Candidate } from "@/lib/traffic/route-candidates";

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
export type RouteSuggestion = Candidate & { team: string };
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

const teamNames = async () =>
  new Map((await db.team.findMany({ select: { id: true, name: true } })).map((t) => [t.id, t.name]));

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Rules suggested from the live APIs' base URLs and OpenAPI descriptions (servers and paths), one page
 * of them and how many there are. One is left out when the team's rules already send a call to that
 * host and prefix to that API (the same rule, or a broader one), or when the rule's own schema would
 * change it.
 */
export async function listRouteSuggestions(
  actor: Actor | null,
  view: SuggestionView,
): Promise<TablePage<RouteSuggestion>> {
  requirePermission(actor, "traffic:manage");
  const [routes, teamName, candidates] = await Promise.all([
    db.trafficRoute.findMany({
      select: { teamId: true, apiId: true, host: true, pathPrefix: true, gatewayRoute: true },
    }),
    teamNames(),
    candidateRoutes(),
  ]);
  const rulesOf = new Map<string, RouteRule[]>();
  for (const r of routes) {
    const rules = rulesOf.get(r.teamId);
    if (rules) rules.push(r);
    else rulesOf.set(r.teamId, [r]);
  }
  for (const rules of rulesOf.values()) rules.sort(byPrecedence);
  const open = candidates.filter((c) => {
    const rules = rulesOf.get(c.teamId);
    return !rules || matchRoute(rules, { host: c.host, path: c.pathPrefix, route: "", gatewayRoute: "" }) !== c.apiId;
  });
  const team = (c: Candidate) => teamName.get(c.teamId) ?? "";
  // Already by API; another order is a stable sort of that.
  const sorted =
    view.sort === "team"
      ? open.toSorted((a, b) => byText(team(a), team(b)))
      : view.sort === "host"
        ? open.toSorted((a, b) => byText(a.host, b.host) || byText(a.pathPrefix, b.pathPrefix))
        : open;
  if (view.desc) sorted.reverse();
  const { skip, take } = pageWindow(view);
  return {
    rows: sorted.slice(skip, skip + take).map((c) => ({ ...c, team: team(c) })),
    total: open.length,
  };
}

/**
 * The routing page: each team's rules in the order they are tried, the traffic that went to no API
 * (discovered APIs, the 500 seen last) and the teams a rule can be for. The APIs a rule points at are
 * chosen by searching (lib/apis/choices.ts), never listed here: there may be 50,000.
 */
export async function listRouting(actor: Actor | null) {
  requirePermission(actor, "traffic:manage");
  const [routes, teamName, discovered] = await Promise.all([
    db.trafficRoute.findMany(),
    teamNames(),
    db.discoveredApi.findMany({ orderBy: [{ lastSeenAt: "desc" }, { id: "asc" }], take: 500 }),
  ]);
  const named = new Set([...routes.map((r) => r.apiId), ...discovered.flatMap((d) => (d.apiId ? [d.apiId] : []))]);
  const apiById = new Map(
    (
      await db.api.findMany({ where: { id: { in: [...named] } }, select: { id: true, name: true, deletedAt: true } })
    ).map((a) => [a.id, a]),
  );
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
  return {
    rules,
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
    teams: [...teamName].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name)),
  };
}
