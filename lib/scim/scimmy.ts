import "server-only";
import SCIMMY from "scimmy";
import type { WriteContext } from "@/lib/audit/authorized-write";
import { isAppError, type AppError } from "@/lib/errors";
import { deleteGroup, deprovisionUser, provisionGroup, provisionUser } from "@/lib/scim/provision";
import { scimGroups, scimUsers } from "@/lib/scim/queries";

// SCIMMY (RFC 7643/7644 in one library: schemas, filters, PATCH operations, list responses, errors) with
// ApiLedger's services as its handlers. SCIMMY validates and coerces what arrives and shapes what leaves;
// every change goes through provision.ts's audited writes.

export const SCIM_BASE = "/api/scim/v2";

/** What the handlers need from the request: the writer, and a fault (database down…) kept for the route. */
export type ScimContext = { write: WriteContext; fault?: unknown };

const SCIM_STATUS: Partial<Record<AppError["code"], [number, string | null]>> = {
  VALIDATION: [400, "invalidValue"],
  CONFLICT: [409, "uniqueness"],
  NOT_FOUND: [404, null],
  FORBIDDEN: [403, null],
  UNAUTHENTICATED: [401, null],
};

/** SCIM's error (the typings want a scimType string; SCIM leaves it out for most statuses). */
export const scimError = (status: number, message: string, scimType?: string | null) =>
  new SCIMMY.Types.Error(status, scimType as string, message);

/** Runs a handler; an AppError becomes SCIM's error, anything else is kept for the route to answer (503…). */
async function handled<T>(ctx: ScimContext, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof SCIMMY.Types.Error) throw error;
    if (isAppError(error)) {
      const [status, type] = SCIM_STATUS[error.code] ?? [500, null];
      const fields = Object.entries(error.fieldErrors).map(([f, m]) => `${f}: ${m.join(" ")}`);
      throw scimError(status, [error.message, ...fields].join(" "), type);
    }
    ctx.fault = error;
    throw scimError(500, "The server could not finish the request.");
  }
}

type UserIn = {
  userName: string;
  externalId?: string;
  displayName?: string;
  name?: { formatted?: string; givenName?: string; familyName?: string };
  emails?: { value?: string; primary?: boolean; type?: string }[];
  active?: boolean;
};

type Email = { value: string; primary?: boolean; type?: string };
const isEmail = (e: unknown): e is Email => !!e && typeof e === "object" && typeof (e as Email).value === "string";

/** The person as ApiLedger keeps them: the primary (else work, else first) e-mail, else the userName. */
export function personOf(u: UserIn) {
  const emails = (Array.isArray(u.emails) ? (u.emails as unknown[]) : []).filter(isEmail);
  const email =
    emails.find((e) => e.primary)?.value ??
    emails.find((e) => e.type === "work")?.value ??
    emails[0]?.value ??
    u.userName;
  const parts = [u.name?.givenName, u.name?.familyName].filter(Boolean).join(" ");
  return {
    userName: u.userName,
    email: String(email ?? ""),
    name: u.displayName || u.name?.formatted || parts || String(email ?? ""),
    // Left out: a new person is active, a replaced one keeps what they were (an admin's deactivation stays).
    active: u.active ?? null,
    externalId: u.externalId ?? null,
  };
}

type GroupIn = { displayName: string; externalId?: string; members?: { value: string }[] };

/** One resource by id (404 when SCIM does not show it), or the list the request's filter selects. */
async function found<T>(
  resource: { id?: string; filter?: { match: (values: T[]) => T[] } },
  load: (id?: string) => Promise<T[]>,
): Promise<T | T[]> {
  const rows = await load(resource.id);
  if (!resource.id) return resource.filter ? resource.filter.match(rows) : rows;
  if (!rows.length) throw scimError(404, `Resource ${resource.id} not found`);
  return rows[0]!;
}

let declared = false;

export function scim(origin: string) {
  if (!declared) {
    declared = true;
    SCIMMY.Config.set({
      patch: true,
      filter: { supported: true, maxResults: 1000 },
      sort: true,
      bulk: false,
      etag: false,
      changePassword: false,
      authenticationSchemes: [
        {
          type: "oauthbearertoken",
          name: "API token",
          description: "An ApiLedger API token of an administrator with the scope scim:provision.",
        },
      ],
    });
    // Entra ID sends the enterprise extension's schema id with every user; its attributes are accepted and not kept.
    SCIMMY.Resources.declare(SCIMMY.Resources.User.extend(SCIMMY.Schemas.EnterpriseUser, false))
      .ingress((resource, instance, ctx: ScimContext) =>
        handled(ctx, async () => {
          const id = await provisionUser(ctx.write, resource.id ?? null, personOf(instance as unknown as UserIn));
          return (await scimUsers(id))[0]!;
        }),
      )
      .egress((resource, ctx: ScimContext) => handled(ctx, () => found(resource, scimUsers)))
      .degress((resource, ctx: ScimContext) => handled(ctx, () => deprovisionUser(ctx.write, resource.id!)));
    SCIMMY.Resources.declare(SCIMMY.Resources.Group)
      .ingress((resource, instance, ctx: ScimContext) =>
        handled(ctx, async () => {
          const g = instance as unknown as GroupIn;
          const id = await provisionGroup(ctx.write, resource.id ?? null, {
            displayName: g.displayName,
            externalId: g.externalId ?? null,
            memberIds: (g.members ?? []).map((m) => String(m.value)),
          });
          return (await scimGroups(id))[0]!;
        }),
      )
      .egress((resource, ctx: ScimContext) => handled(ctx, () => found(resource, scimGroups)))
      .degress((resource, ctx: ScimContext) => handled(ctx, () => deleteGroup(ctx.write, resource.id!)));
  }
  // Locations are absolute (meta.location, Location headers), under the address people use.
  for (const r of [
    SCIMMY.Resources.User,
    SCIMMY.Resources.Group,
    SCIMMY.Resources.ServiceProviderConfig,
    SCIMMY.Resources.ResourceType,
    SCIMMY.Resources.Schema,
  ])
    r.basepath(`${origin}${SCIM_BASE}`);
  return SCIMMY;
}
