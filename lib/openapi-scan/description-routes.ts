// The hosts and path prefixes a URL, or an OpenAPI description's servers and paths, stand for: the rules
// the routing page suggests (lib/traffic/routing-queries.ts). attachDescription keeps a description's in
// ApiDescription.routes at each scan. Pure and client-safe; it lives here rather than in lib/traffic
// because lib/traffic reads descriptions (lib/traffic → lib/openapi-scan), never the other way round.
import { nameProblem } from "@/lib/input/text";

export type DescribedRoute = { host: string; pathPrefix: string };

/** Routes kept per description: a description listing 10,000 servers suggests 20 rules, not 10,000. */
export const MAX_DESCRIPTION_ROUTES = 20;
/** Servers read per description, whatever becomes of them (relative, duplicate or refused ones included). */
const MAX_SERVERS_READ = 100;
/** What a routing rule takes (ZTrafficRouteInput in lib/traffic/schemas.ts). */
const MAX_HOST = 255;
const MAX_PREFIX = 200;
const MAX_URL = 2000;

/** A prefix on segment boundaries: no trailing slash ("/" itself stays "/", which matches every path). */
export const normalisePrefix = (prefix: string) => (prefix.length > 1 ? prefix.replace(/\/+$/, "") : prefix);

const isObject = (value: unknown): value is Record<string, unknown> =>
  !!value && typeof value === "object" && !Array.isArray(value);
const own = (object: Record<string, unknown>, key: string) =>
  Object.prototype.hasOwnProperty.call(object, key) ? object[key] : undefined;

/**
 * A route people can be shown and a rule can take: a host, a prefix within the rule's lengths, and no
 * character that would make either display as something else (bidi controls, invisible characters,
 * line breaks: a suggestion is picked by how it looks).
 */
function shown(host: string, pathPrefix: string): DescribedRoute | null {
  if (!host || host.length > MAX_HOST || pathPrefix.length > MAX_PREFIX) return null;
  if (nameProblem(host) || nameProblem(pathPrefix)) return null;
  return { host, pathPrefix };
}

/** The host and path prefix an absolute http(s) URL stands for, or null (relative, another scheme, unreadable). */
export function routeOfUrl(url: string): DescribedRoute | null {
  // Refused as written, not after the URL parser has turned a lone surrogate into U+FFFD, dropped a tab
  // or a line break, or mapped a soft hyphen away (what is suggested is what the author wrote).
  if (url.length > MAX_URL || nameProblem(url)) return null;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== "https:" && parsed.protocol !== "http:") return null;
    const host = parsed.hostname.replace(/^\[|\]$/g, "").toLowerCase();
    // decodeURI throws on an escaped lone surrogate (%ED%A0%80): the URL is refused.
    const path = normalisePrefix(decodeURI(parsed.pathname));
    return shown(host, path === "/" ? "" : path);
  } catch {
    return null;
  }
}

/**
 * An OpenAPI 3 server's URL with each {variable} replaced by its default (its enum does not matter: the
 * default is one of it), or null when a variable has no default — which host it is cannot be known.
 */
function serverUrl(server: unknown): string | null {
  if (!isObject(server) || typeof server.url !== "string" || server.url.length > MAX_URL) return null;
  const variables = isObject(server.variables) ? server.variables : {};
  let unknown = false;
  const url = server.url.replace(/\{([^{}]*)\}/g, (_, name: string) => {
    const variable = own(variables, name);
    const value = isObject(variable) ? variable.default : undefined;
    if (typeof value === "string") return value;
    unknown = true;
    return "";
  });
  return unknown || /[{}]/.test(url) ? null : url;
}

/** The absolute URLs the description says it is served at: OpenAPI 3's servers, Swagger 2.0's host and basePath. */
function serverUrls(doc: Record<string, unknown>): string[] {
  if (doc.swagger !== undefined) {
    // No host means "the host that served the description": nothing to suggest.
    const host = doc.host;
    if (typeof host !== "string" || !/^[^/?#@\\\s]+$/.test(host)) return [];
    const basePath = typeof doc.basePath === "string" && doc.basePath.startsWith("/") ? doc.basePath : "";
    const schemes = Array.isArray(doc.schemes) ? doc.schemes : [];
    // Only ws/wss listed: not traffic a gateway reports as calls. None listed: the description's own scheme.
    if (schemes.length && !schemes.some((s) => typeof s === "string" && /^https?$/i.test(s))) return [];
    return [`https://${host}${basePath}`];
  }
  if (!Array.isArray(doc.servers)) return [];
  return doc.servers
    .slice(0, MAX_SERVERS_READ)
    .map(serverUrl)
    .filter((url): url is string => url !== null);
}

/**
 * A path segment that is the same text in every call: not a {template}, not a dot segment a gateway
 * would have resolved, nothing a request line cannot hold, and nothing that displays as something else.
 */
const isLiteral = (segment: string) =>
  segment !== "." && segment !== ".." && !/[{}?#\s]/.test(segment) && !nameProblem(segment);

/**
 * The longest literal prefix every path of the description shares, on segment boundaries ("/api" for
 * /api/peers and /api/users/{id}), or "" when they share none. One pass over the keys, ended as soon as
 * nothing is shared, so a huge paths object costs one look at each key at most.
 */
export function commonPathPrefix(paths: unknown): string {
  if (!isObject(paths)) return "";
  let common: string[] | null = null;
  for (const key of Object.keys(paths)) {
    // Keys that are not paths are extensions (x-…).
    if (!key.startsWith("/")) continue;
    const segments: string[] = [];
    for (const segment of key.split("/")) {
      if (!segment) continue;
      if (!isLiteral(segment) || (common && segments.length >= common.length)) break;
      segments.push(segment);
    }
    let shared = 0;
    if (!common) shared = segments.length;
    else while (shared < segments.length && common[shared] === segments[shared]) shared++;
    common = segments.slice(0, shared);
    if (!common.length) return "";
  }
  return common ? `/${common.join("/")}` : "";
}

/**
 * The routes a parsed OpenAPI (3.0, 3.1) or Swagger (2.0) description stands for: each absolute http(s)
 * server as host and path, narrowed by the prefix all its paths share. Relative servers ("/v2") name no
 * host and are skipped. At most MAX_DESCRIPTION_ROUTES, without repeats, in the description's order.
 */
export function descriptionRoutes(doc: Record<string, unknown>): DescribedRoute[] {
  const narrowing = commonPathPrefix(doc.paths);
  const routes = new Map<string, DescribedRoute>();
  for (const url of serverUrls(doc)) {
    const server = routeOfUrl(url);
    if (!server) continue;
    const narrowed = narrowing ? normalisePrefix(`${server.pathPrefix}${narrowing}`) : server.pathPrefix;
    const route = shown(server.host, narrowed) ?? server;
    routes.set(`${route.host}\u0000${route.pathPrefix}`, route);
    if (routes.size >= MAX_DESCRIPTION_ROUTES) break;
  }
  return [...routes.values()];
}

/** Routes as kept in ApiDescription.routes (JSON), read back; null when the column holds no list. */
export function storedRoutes(json: string): DescribedRoute[] | null {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return null;
  }
  if (!Array.isArray(value)) return null;
  return value.slice(0, MAX_DESCRIPTION_ROUTES).flatMap((r: unknown) => {
    const route =
      isObject(r) && typeof r.host === "string" && typeof r.pathPrefix === "string"
        ? shown(r.host, r.pathPrefix)
        : null;
    return route ? [route] : [];
  });
}
