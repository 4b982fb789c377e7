import { apiHandler } from "@/lib/rest/api-route";
import { scimErrorResponse, scimRequest } from "@/lib/scim/http";

// SCIM 2.0 for identity providers (Entra ID, Okta…): lib/scim/http.ts. Problems the REST layer raises
// before SCIM runs (no or a refused token, rate limits, bodies too large) are turned into SCIM errors.
const handle = apiHandler<{ path?: string[] }>(scimRequest, {
  permission: "user:provision",
  maxBodyBytes: 1024 * 1024,
});

async function scimRoute(request: Request, context: { params: Promise<{ path?: string[] }> }) {
  const response = await handle(request, context);
  if (!(response.headers.get("content-type") ?? "").startsWith("application/problem+json")) return response;
  const problem = (await response.json()) as { detail?: string; title?: string };
  const scim = scimErrorResponse(response.status, problem.detail ?? problem.title ?? "Refused.");
  for (const [name, value] of response.headers)
    if (name !== "content-type" && name !== "content-length") scim.headers.set(name, value);
  return scim;
}

export const GET = scimRoute;
export const POST = scimRoute;
export const PUT = scimRoute;
export const PATCH = scimRoute;
export const DELETE = scimRoute;
