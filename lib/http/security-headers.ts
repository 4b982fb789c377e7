// Response headers that do not depend on the request (next.config.ts) and the CSP (proxy.ts, per request).

/**
 * Scripts only from this origin with this request's nonce; no framing; forms post only back here —
 * and to the single sign-on provider, since browsers apply form-action to the redirect that follows
 * the sign-in form.
 */
export function contentSecurityPolicy(nonce: string, dev: boolean, ssoOrigin?: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    // React writes style attributes (chart bar widths); no style sheets from elsewhere.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self'${dev ? " ws:" : ""}`,
    "frame-ancestors 'none'",
    `form-action 'self'${ssoOrigin ? ` ${ssoOrigin}` : ""}`,
    "base-uri 'self'",
    "object-src 'none'",
  ].join("; ");
}

/**
 * For everything under /api/ except next-auth: data and downloads, never a page. Route handlers that
 * serve files set it themselves, and proxy.ts sets the same one, so the proxy's page policy can never
 * replace a download's sandbox.
 */
export const DATA_RESPONSE_CSP = "default-src 'none'; sandbox; frame-ancestors 'none'";

export const HSTS = "max-age=63072000; includeSubDomains";

/**
 * The proxy's response headers for a data answer that does not pass through proxy.ts (/api/v1, left out
 * of its matcher so that Next does not receive a whole body before the route can refuse it): the
 * sandbox policy, and HSTS when the request came over https (as the HTTP server decided it).
 */
export function withDataHeaders(response: Response, isHttps: boolean): Response {
  if (!response.headers.has("Content-Security-Policy"))
    response.headers.set("Content-Security-Policy", DATA_RESPONSE_CSP);
  if (isHttps) response.headers.set("Strict-Transport-Security", HSTS);
  return response;
}

export function isDataPath(path: string): boolean {
  return path.startsWith("/api/") && !path.startsWith("/api/auth/");
}

export const STATIC_SECURITY_HEADERS = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Referrer-Policy", value: "same-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=()" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
];
