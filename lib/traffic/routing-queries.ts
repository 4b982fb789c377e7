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
import { byPrecedence, matchRoute, type RouteRule } from "@/lib/traffic/routing";
import { decodeEnvironments } from "@/lib/apis/codec";
import { pageWindow, type TablePage } from "@/lib/tables/table-params";
import type { SuggestionView } from "@/lib/traffic/list-view";
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
async function describedRoutes(): Promise<{ byApi: Map<string, DescribedRoute[]>; complete: boolean }> {
  const rows = await db.apiDescription.findMany({
    where: { api: { deletedAt: null } },
    select: { apiId: true, fileSha256: true, routes: true },
    orderBy: { apiId: "asc" },
  });
  const byApi = new Map<string, DescribedRoute[]>();
  const started = Date.now();
  let parsed = 0;
  let complete = true;
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
      else complete = false;
    } else complete = false;
  }
  return { byApi, complete };
}

/** A suggestion "Add rule" can take as it is (the rule's own schema, nothing trimmed or lowered). */
function isAddable(teamId: string, apiId: string, route: DescribedRoute): boolean {
  const parsed = ZTrafficRouteInput.safeParse({ teamId, apiId, ...route, gatewayRoute: "" });
  return parsed.success && parsed.data.host === route.host && parsed.data.pathPrefix === route.pathPrefix;
}

const teamNames = async () =>
  new Map((await db.team.findMany({ select: { id: true, name: true } })).map((t) => [t.id, t.name]));

/** A route an API's base URL or description stands for, which a rule of its team can take as it is. */
type Candidate = Omit<RouteSuggestion, "team">;

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The candidates of the last state of the APIs and descriptions this process read them in: reading and
 * parsing 50,000 APIs' base URLs takes a quarter of a second, and they change far less often than the
 * page is loaded. The state is the APIs' and descriptions' count and latest change, read each time (an
 * edit, a deletion or a new scan on any instance changes it); rules are applied per load, below.
 */
let candidateCache: { stamp: string; rows: Candidate[] } | null = null;

async function candidateRoutes(): Promise<Candidate[]> {
  const stamp = JSON.stringify(
    await Promise.all([
      db.api.aggregate({ _count: { _all: true }, _max: { updatedAt: true } }),
      db.apiDescription.aggregate({ _count: { _all: true }, _max: { scannedAt: true } }),
    ]),
  );
  if (candidateCache?.stamp === stamp) return candidateCache.rows;
  const [apis, described] = await Promise.all([
    db.api.findMany({
      where: { deletedAt: null, NOT: { teamId: "" } },
      select: { id: true, name: true, teamId: true, environments: true },
    }),
    describedRoutes(),
  ]);
  const seen = new Set<string>();
  const rows: Candidate[] = [];
  const add = (api: (typeof apis)[number], route: DescribedRoute, from: string) => {
    const key = `${api.teamId} ${route.host} ${route.pathPrefix}`;
    if (seen.has(key)) return;
    seen.add(key);
    if (isAddable(api.teamId, api.id, route))
      rows.push({ teamId: api.teamId, apiId: api.id, api: api.name, ...route, from });
  };
  // Base URLs first: a route both name is suggested once, from the base URL someone wrote down.
  for (const api of apis)
    for (const env of decodeEnvironments(api.environments)) {
      const route = routeOfUrl(env.baseUrl);
      if (route) add(api, route, `${env.name} base URL`);
    }
  for (const api of apis) for (const route of described.byApi.get(api.id) ?? []) add(api, route, FROM_DESCRIPTION);
  rows.sort(
    (a, b) =>
      byText(a.api, b.api) ||
      byText(a.teamId, b.teamId) ||
      byText(a.host, b.host) ||
      byText(a.pathPrefix, b.pathPrefix),
  );
  // Old descriptions still waiting for their file to be read are not final: read again next time.
  if (described.complete) candidateCache = { stamp, rows };
  return rows;
}

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
