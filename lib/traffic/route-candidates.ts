import "server-only";
import { text } from "node:stream/consumers";
import { db } from "@/lib/db/client";
import { decodeEnvironments } from "@/lib/apis/codec";
import {
  descriptionRoutes,
  routeOfUrl,
  storedRoutes,
  type DescribedRoute,
} from "@/lib/openapi-scan/description-routes";
import { parseDescription } from "@/lib/openapi-scan/parse";
import { blobStore } from "@/lib/storage/blob-store";
import { ZTrafficRouteInput } from "@/lib/traffic/schemas";

// The routes the live APIs' base URLs and OpenAPI descriptions (servers and paths) stand for, which the
// routing page suggests as rules (lib/traffic/routing-queries.ts applies each team's rules to them).
// Reading and checking 50,000 APIs' base URLs takes more than half a second, and APIs change far less
// often than the page is loaded: each process keeps every API's routes and, when the APIs or
// descriptions change (on any instance), reads again only those changed since it last looked.

/** A route an API's base URL or description stands for, which a rule of its team can take as it is. */
export type Candidate = {
  teamId: string;
  apiId: string;
  api: string;
  host: string;
  pathPrefix: string;
  /** Where it comes from: "Production base URL". */
  from: string;
};

export const FROM_DESCRIPTION = "OpenAPI description's servers and paths";
/** Descriptions scanned before their routes were kept, read and parsed per page load: the rest wait. */
const LEGACY_DESCRIPTIONS_PER_LOAD = 200;
/** No further one is started once this much time went into them: a 500 kB YAML file takes 0.3 s. */
const LEGACY_BUDGET_MS = 3000;
/** Changed APIs read again one by one at most; past this many, everything is read again. */
const REREAD_AT_MOST = 5000;

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

/** A suggestion "Add rule" can take as it is (the rule's own schema, nothing trimmed or lowered). */
function isAddable(teamId: string, apiId: string, route: DescribedRoute): boolean {
  const parsed = ZTrafficRouteInput.safeParse({ teamId, apiId, ...route, gatewayRoute: "" });
  return parsed.success && parsed.data.host === route.host && parsed.data.pathPrefix === route.pathPrefix;
}

/** A route one API stands for: its team, host and prefix, and the suggestion (null when not addable). */
type Offer = { key: string; candidate: Candidate | null };
type ApiRoutes = { id: string; name: string; teamId: string; urls: Offer[]; described: Offer[] };

/** The state of the APIs and descriptions, read each time: an edit, a deletion or a new scan changes it. */
type Stamp = { apis: number; apiChanged: Date | null; descriptions: number; scanned: Date | null };

class CandidateIndex {
  readonly apis = new Map<string, Omit<ApiRoutes, "described">>();
  readonly descriptions = new Map<string, DescribedRoute[]>();
  readonly routes = new Map<string, ApiRoutes>();
  stamp: Stamp = { apis: 0, apiChanged: null, descriptions: 0, scanned: null };
  /** False while descriptions scanned before their routes were kept wait for their file to be read. */
  complete = true;
  rows: Candidate[] = [];
}
let index = new CandidateIndex();

const sameStamp = (a: Stamp, b: Stamp) =>
  a.apis === b.apis &&
  a.descriptions === b.descriptions &&
  a.apiChanged?.getTime() === b.apiChanged?.getTime() &&
  a.scanned?.getTime() === b.scanned?.getTime();

/**
 * Every suggestion the live APIs stand for, by API name (then team, host and prefix); a route two of a
 * team's APIs stand for is suggested once, for the first by id, from a base URL before a description.
 */
export async function candidateRoutes(): Promise<Candidate[]> {
  const [apis, descriptions] = await Promise.all([
    db.api.aggregate({ _count: { _all: true }, _max: { updatedAt: true } }),
    db.apiDescription.aggregate({ _count: { _all: true }, _max: { scannedAt: true } }),
  ]);
  const stamp: Stamp = {
    apis: apis._count._all,
    apiChanged: apis._max.updatedAt,
    descriptions: descriptions._count._all,
    scanned: descriptions._max.scannedAt,
  };
  if (index.complete && sameStamp(index.stamp, stamp)) return index.rows;
  // Fewer rows than before (an API or description removed for good), or old descriptions still to read:
  // everything is read again.
  let next =
    index.complete && stamp.apis >= index.stamp.apis && stamp.descriptions >= index.stamp.descriptions
      ? index
      : new CandidateIndex();
  // Since the latest change seen, that change included: another written in the same millisecond is read.
  const apisSince = (since: Date | null) =>
    db.api.findMany({
      where: since ? { updatedAt: { gte: since } } : {},
      select: { id: true, name: true, teamId: true, environments: true, deletedAt: true },
    });
  let changedApis = await apisSince(next.stamp.apiChanged);
  // More than a bulk import's worth: read everything, without a list of ids too long to bind.
  if (next.stamp.apiChanged && changedApis.length > REREAD_AT_MOST) {
    next = new CandidateIndex();
    changedApis = await apisSince(null);
  }
  // The descriptions scanned since, and which are still there: a removed one leaves no row to read, and
  // another scan meanwhile can make the count up again.
  const [changedDescriptions, described] = await Promise.all([
    db.apiDescription.findMany({
      where: next.stamp.scanned ? { scannedAt: { gte: next.stamp.scanned } } : {},
      select: { apiId: true, fileSha256: true, routes: true },
      orderBy: { apiId: "asc" },
    }),
    db.apiDescription.findMany({ select: { apiId: true } }),
  ]);
  const touched = new Set<string>();
  const kept = new Set(described.map((d) => d.apiId));
  for (const id of next.descriptions.keys())
    if (!kept.has(id)) {
      next.descriptions.delete(id);
      touched.add(id);
    }
  for (const api of changedApis) {
    touched.add(api.id);
    if (api.deletedAt || !api.teamId) next.apis.delete(api.id);
    else next.apis.set(api.id, { id: api.id, name: api.name, teamId: api.teamId, urls: urlOffers(api) });
  }
  next.complete = await readDescriptions(next, changedDescriptions, touched);
  for (const id of touched) {
    const api = next.apis.get(id);
    if (!api) next.routes.delete(id);
    else next.routes.set(id, { ...api, described: describedOffers(api, next.descriptions.get(id) ?? []) });
  }
  next.stamp = stamp;
  next.rows = merge(next.routes);
  index = next;
  return next.rows;
}

function urlOffers(api: { id: string; name: string; teamId: string; environments: string }): Offer[] {
  const offers: Offer[] = [];
  for (const env of decodeEnvironments(api.environments)) {
    const route = routeOfUrl(env.baseUrl);
    if (route) offers.push(offer(api, route, `${env.name} base URL`));
  }
  return offers;
}

const describedOffers = (api: { id: string; name: string; teamId: string }, routes: DescribedRoute[]) =>
  routes.map((route) => offer(api, route, FROM_DESCRIPTION));

function offer(api: { id: string; name: string; teamId: string }, route: DescribedRoute, from: string): Offer {
  return {
    key: `${api.teamId} ${route.host} ${route.pathPrefix}`,
    candidate: isAddable(api.teamId, api.id, route)
      ? { teamId: api.teamId, apiId: api.id, api: api.name, ...route, from }
      : null,
  };
}

/**
 * The changed descriptions' routes: as kept at their scan, or — for one scanned before they were kept —
 * read from its file, one at a time (a file may be 10 MB), for at most LEGACY_DESCRIPTIONS_PER_LOAD files
 * and LEGACY_BUDGET_MS per load. Nothing is written: the next scan keeps them. False when some wait.
 */
async function readDescriptions(
  into: CandidateIndex,
  rows: { apiId: string; fileSha256: string; routes: string | null }[],
  touched: Set<string>,
): Promise<boolean> {
  const started = Date.now();
  let parsed = 0;
  let complete = true;
  for (const row of rows) {
    touched.add(row.apiId);
    let routes = row.routes !== null ? (storedRoutes(row.routes) ?? []) : legacyRoutes.get(row.fileSha256);
    if (!routes && parsed < LEGACY_DESCRIPTIONS_PER_LOAD && Date.now() - started < LEGACY_BUDGET_MS) {
      parsed++;
      routes = (await routesOfFile(row.fileSha256)) ?? undefined;
    }
    if (routes) into.descriptions.set(row.apiId, routes);
    else complete = false;
  }
  return complete;
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function merge(routes: Map<string, ApiRoutes>): Candidate[] {
  const apis = [...routes.values()].sort((a, b) => byText(a.id, b.id));
  const seen = new Set<string>();
  const rows: Candidate[] = [];
  const take = (o: Offer) => {
    if (seen.has(o.key)) return;
    seen.add(o.key);
    if (o.candidate) rows.push(o.candidate);
  };
  // Base URLs first: a route both name is suggested once, from the base URL someone wrote down.
  for (const api of apis) api.urls.forEach(take);
  for (const api of apis) api.described.forEach(take);
  return rows.sort(
    (a, b) =>
      byText(a.api, b.api) ||
      byText(a.teamId, b.teamId) ||
      byText(a.host, b.host) ||
      byText(a.pathPrefix, b.pathPrefix),
  );
}
