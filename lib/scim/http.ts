import "server-only";
import type { ApiContext } from "@/lib/rest/api-route";
import { AppError } from "@/lib/errors";
import { scim, scimError, SCIM_BASE, type ScimContext } from "@/lib/scim/scimmy";

// SCIM 2.0's HTTP side (RFC 7644 §3): /Users, /Groups and the discovery endpoints, answered in
// application/scim+json with SCIM's own error messages. Authentication, rate limits and body bounds are
// the REST API's (lib/rest/api-route.ts); the caller must be an admin's token with the scope
// scim:provision and no team limit.

const MEDIA = "application/scim+json; charset=utf-8";

export const scimJson = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: status === 204 ? headers : { "Content-Type": MEDIA, ...headers },
  });

/** RFC 7644 §3.12: an error as SCIM clients read it. */
export function scimErrorResponse(status: number, detail: string, scimType?: string | null) {
  return scimJson(
    {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
      status: String(status),
      ...(scimType ? { scimType } : {}),
      detail,
    },
    status,
  );
}

/** SCIMMY's resource classes, as this handler uses them (its typings narrow queries and bodies further). */
type ScimResource = {
  read(ctx?: unknown): Promise<unknown>;
  write(body: unknown, ctx?: unknown): Promise<unknown>;
  patch(body: unknown, ctx?: unknown): Promise<unknown>;
  dispose(ctx?: unknown): Promise<void>;
};
type ScimResourceClass = new (
  idOrQuery?: string | Record<string, unknown>,
  query?: Record<string, unknown>,
) => ScimResource;

const int = (v: string | null) => (v !== null && /^-?\d{1,9}$/.test(v) ? Number(v) : undefined);

/** Query parameters SCIMMY understands (RFC 7644 §3.4.2). */
function queryOf(url: URL) {
  const out: Record<string, string | number> = {};
  for (const key of ["filter", "attributes", "excludedAttributes", "sortBy", "sortOrder"]) {
    const v = url.searchParams.get(key);
    if (v !== null) out[key] = v;
  }
  const startIndex = int(url.searchParams.get("startIndex"));
  const count = int(url.searchParams.get("count"));
  if (startIndex !== undefined) out.startIndex = startIndex;
  if (count !== undefined) out.count = Math.min(count, 1000);
  return out;
}

/**
 * SCIMMY says what is wrong with a request in TypeErrors that name the attribute or parameter ("Attribute
 * 'active' expected value type 'boolean'…"); those are passed on. Any other TypeError is a fault, not the
 * caller's to read: it gets a plain sentence.
 */
function invalidValue(error: TypeError): string {
  return /^(Expected '|Attribute '|Complex attribute ')/.test(error.message)
    ? error.message.slice(0, 500)
    : "The request is not valid SCIM.";
}

export async function scimRequest(ctx: ApiContext<{ path?: string[] }>): Promise<Response> {
  const { principal, request, url } = ctx;
  if (!principal.tokenId)
    throw new AppError("UNAUTHENTICATED", "SCIM needs an API token with the scope scim:provision.");
  if (principal.actor.token?.teamId)
    throw new AppError("FORBIDDEN", "A team-limited token cannot provision people; SCIM is installation-wide.");
  const SCIMMY = scim(new URL(process.env.NEXTAUTH_URL || url.origin).origin);
  const [kind = "", id, ...rest] = ctx.params.path ?? [];
  const sctx: ScimContext = { write: ctx.write };
  const method = request.method;
  try {
    if (rest.length) throw scimError(404, "No such SCIM endpoint.");
    if (kind === "ServiceProviderConfig" && !id && method === "GET")
      return scimJson(await new SCIMMY.Resources.ServiceProviderConfig().read());
    if (kind === "ResourceTypes" && method === "GET")
      return scimJson(await (id ? new SCIMMY.Resources.ResourceType(id) : new SCIMMY.Resources.ResourceType()).read());
    if (kind === "Schemas" && method === "GET")
      return scimJson(await (id ? new SCIMMY.Resources.Schema(id) : new SCIMMY.Resources.Schema()).read());
    const Resource = (
      kind === "Users" ? SCIMMY.Resources.User : kind === "Groups" ? SCIMMY.Resources.Group : null
    ) as ScimResourceClass | null;
    if (!Resource) throw scimError(404, "No such SCIM endpoint.");
    const query = queryOf(url);
    if (method === "GET") return scimJson(await (id ? new Resource(id, query) : new Resource(query)).read(sctx));
    if (method === "POST" && !id) {
      const created = (await new Resource(query).write(await ctx.json(), sctx)) as {
        id: string;
        meta?: { location?: string };
      };
      return scimJson(created, 201, { Location: created.meta?.location ?? `${SCIM_BASE}/${kind}/${created.id}` });
    }
    if (!id) throw scimError(405, `${method} needs a resource id.`);
    if (method === "PUT") return scimJson(await new Resource(id, query).write(await ctx.json(), sctx));
    if (method === "PATCH") {
      const patched = await new Resource(id, query).patch(await ctx.json(), sctx);
      return patched ? scimJson(patched) : scimJson(null, 204);
    }
    if (method === "DELETE") {
      await new Resource(id).dispose(sctx);
      return scimJson(null, 204);
    }
    throw scimError(405, `${method} is not supported here.`);
  } catch (error) {
    // A fault under a handler (the database is down…) is the route's to answer, like any REST call.
    if (sctx.fault) throw sctx.fault;
    if (error instanceof SCIMMY.Types.Error) return scimErrorResponse(error.status, error.message, error.scimType);
    if (error instanceof TypeError) return scimErrorResponse(400, invalidValue(error), "invalidValue");
    throw error;
  }
}
