// Runs before every request: sends signed-out visitors to the sign-in page and sets the per-request
// Content-Security-Policy nonce. A convenience only — every page, action and route handler checks
// the signed-in user and the policy itself (a proxy can be bypassed; CVE-2025-29927).
import { NextResponse, type NextRequest } from "next/server";
import { getToken } from "next-auth/jwt";
import { nextAuthSecret } from "@/lib/runtime/secrets";
import { DATA_RESPONSE_CSP, HSTS, contentSecurityPolicy, isDataPath } from "@/lib/http/security-headers";
import { urlProblem } from "@/lib/input/url";
import { serverActionProblem } from "@/lib/input/request-bounds";
import { requestSource } from "@/lib/server/request-source";

const PUBLIC_PATHS = [
  /^\/login$/,
  /^\/icon\.svg$/,
  /^\/api\/auth\//,
  /^\/api\/health$/,
  /^\/api\/ready$/,
  // Authenticated by the route itself, with the metrics token (app/metrics/route.ts).
  /^\/metrics$/,
  /^\/api\/v1\/openapi\.json$/,
];

export default async function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const issuer = process.env.OIDC_ISSUER;
  const csp = contentSecurityPolicy(
    nonce,
    process.env.NODE_ENV !== "production",
    issuer ? new URL(issuer).origin : undefined,
  );
  const path = request.nextUrl.pathname;
  // The outside-text rule for the request line, before any page or route decodes its parameters.
  const badUrl = urlProblem(request.nextUrl);
  // A server action posted from another site: refused here as 403 (Next would answer 500), also when
  // the browser sent no Origin but says Sec-Fetch-Site: cross-site.
  if (request.method === "POST" && request.headers.has("next-action") && isCrossSite(request)) {
    return NextResponse.json(
      {
        type: "https://apiledger.invalid/problems/forbidden",
        title: "forbidden",
        status: 403,
        detail: "Cross-site request refused.",
      },
      {
        status: 403,
        headers: {
          "Content-Type": "application/problem+json",
          "Content-Security-Policy": csp,
          "Cache-Control": "no-store",
        },
      },
    );
  }
  const badAction = await serverActionProblem(request);
  if (badUrl || badAction) {
    const status = badAction?.status ?? 400;
    return NextResponse.json(
      {
        type: `https://apiledger.invalid/problems/${status === 400 ? "validation" : "payload-too-large"}`,
        title: status === 400 ? "validation" : "payload too large",
        status,
        detail: badUrl ?? badAction?.detail,
      },
      {
        status,
        headers: {
          "Content-Type": "application/problem+json",
          "Content-Security-Policy": csp,
          "Cache-Control": "no-store",
        },
      },
    );
  }

  // REST calls with a bearer token are authenticated by the route itself (lib/rest/authenticate.ts).
  const bearer = path.startsWith("/api/v1/") && request.headers.has("authorization");
  if (!bearer && !PUBLIC_PATHS.some((p) => p.test(path))) {
    const token = await getToken({ req: request, secret: nextAuthSecret() });
    if (!token) {
      if (path.startsWith("/api/")) {
        // The same RFC 9457 problem as the routes' own 401 (lib/http/responses.ts), with the challenge.
        return NextResponse.json(
          {
            type: "https://apiledger.invalid/problems/unauthenticated",
            title: "unauthenticated",
            status: 401,
            detail: "Send an API token (Authorization: Bearer apl_…) or sign in.",
          },
          {
            status: 401,
            headers: {
              "Content-Type": "application/problem+json",
              "WWW-Authenticate": 'Bearer realm="apiledger"',
              "Content-Security-Policy": csp,
              "Cache-Control": "no-store",
            },
          },
        );
      }
      const login = new URL("/login", request.url);
      if (path !== "/") login.searchParams.set("callbackUrl", path + request.nextUrl.search);
      return NextResponse.redirect(login);
    }
  }

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  // The page's path, for the forbidden page to say why this page was refused (lib/authz/page-refusals.ts).
  requestHeaders.set("x-apiledger-path", path);
  requestHeaders.set("Content-Security-Policy", csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  // Pages get the nonce policy; data and downloads the sandbox (a download route's own header stays).
  response.headers.set("Content-Security-Policy", isDataPath(path) ? DATA_RESPONSE_CSP : csp);
  // https as the HTTP server decided it: a TLS socket, or X-Forwarded-Proto from a trusted proxy only.
  if (requestSource(request.headers).proto === "https") {
    response.headers.set("Strict-Transport-Security", HSTS);
  }
  return response;
}

/** Sec-Fetch-Site other than same-origin/none, or an Origin whose host is not this request's host. */
function isCrossSite(request: NextRequest): boolean {
  const site = request.headers.get("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") return true;
  const origin = request.headers.get("origin");
  if (!origin || origin === "null") return origin === "null";
  const host = requestSource(request.headers).host;
  try {
    return !!host && new URL(origin).host !== host;
  } catch {
    return true;
  }
}

// /api/v1 and /api/scim are left out: Next receives the whole body of any request its proxy sees before the route
// runs, and the REST routes must be able to refuse a caller (403, 413) before reading a byte. Those
// routes do this file's checks themselves (lib/rest/api-route.ts: the URL rule, the headers, and real
// authentication rather than this convenience redirect).
export const config = {
  matcher: [{ source: "/((?!_next/static|_next/image|favicon.ico|api/v1/|api/scim/).*)" }],
};
