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

export const STATIC_SECURITY_HEADERS = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Referrer-Policy", value: "same-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=()" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
];
