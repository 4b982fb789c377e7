import "server-only";
import { logError } from "@/lib/log/logger";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { attemptPasswordSignIn } from "@/lib/auth/sign-in";
import { signInWithOidc } from "@/lib/auth/oidc-sign-in";
import { oidcConfig } from "@/lib/auth/oidc";
import { nextAuthSecret } from "@/lib/runtime/secrets";
import type { Role } from "@/lib/authz/policy";
import { sourceAddress } from "@/lib/http/responses";
import { headers } from "next/headers";
import { SESSION_LIMITS } from "@/lib/sessions/limits";
import { isLiveSession } from "@/lib/sessions/session-state";
import { signOutSession } from "@/lib/sessions/end-session";

function header(req: { headers?: Record<string, unknown> } | undefined, name: string): string {
  const value = req?.headers?.[name];
  return typeof value === "string" ? value : Array.isArray(value) ? String(value[0]) : "";
}

/** The client address as the HTTP server decided it (lib/server/source-address.ts). */
function clientIp(req: { headers?: Record<string, unknown> } | undefined): string {
  return sourceAddress({ get: (name) => header(req, name) || null });
}

/** The headers of the request a next-auth callback runs in (single sign-on has no `req` to hand). */
async function requestHeaders(): Promise<Headers | null> {
  try {
    return new Headers(await headers());
  } catch {
    return null;
  }
}

async function callbackAddress(): Promise<string> {
  const h = await requestHeaders();
  return h ? sourceAddress(h) : "local";
}

/** A cookie whose session row was ended or ran out: next-auth clears the cookie when the jwt callback throws. */
class SessionEnded extends Error {
  constructor() {
    super("The session has ended.");
    this.name = "SessionEnded";
  }
}

type SignedIn = { id: string; role: Role; sessionId: string };
const isSignedIn = (user: unknown): user is SignedIn =>
  typeof user === "object" && user !== null && typeof (user as Partial<SignedIn>).sessionId === "string";

export function authOptions(): NextAuthOptions {
  const oidc = oidcConfig();
  return {
    secret: nextAuthSecret(),
    // The cookie lives no longer than the session's absolute limit; the session row (checked on every
    // request) is what really decides, so ending it ends the cookie at once.
    session: { strategy: "jwt", maxAge: Math.ceil(SESSION_LIMITS.absoluteMs / 1000) },
    pages: { signIn: "/login", error: "/login" },
    providers: [
      CredentialsProvider({
        id: "credentials",
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(credentials, req) {
          const email = String(credentials?.email ?? "");
          const password = String(credentials?.password ?? "");
          if (!email || !password || password.length > 1024) return null;
          return attemptPasswordSignIn(email, password, { ip: clientIp(req), userAgent: header(req, "user-agent") });
        },
      }),
      ...(oidc
        ? [
            {
              id: "oidc",
              name: oidc.name,
              type: "oauth" as const,
              wellKnown: `${oidc.issuer}/.well-known/openid-configuration`,
              clientId: oidc.clientId,
              clientSecret: oidc.clientSecret,
              authorization: {
                params: { scope: `openid email profile ${oidc.rolesClaim === "groups" ? "groups" : ""}`.trim() },
              },
              idToken: true,
              checks: ["pkce" as const, "state" as const],
              profile(profile: Record<string, unknown>) {
                return {
                  id: String(profile.sub),
                  email: String(profile.email ?? ""),
                  name: String(profile.name ?? profile.email ?? ""),
                  claims: profile,
                };
              },
            },
          ]
        : []),
    ],
    callbacks: {
      async signIn({ user, account, profile }) {
        if (account?.provider !== "oidc") return true;
        // Maps the groups claim to a role, creates or updates the local user and opens the session (audited).
        const h = await requestHeaders();
        const result = await signInWithOidc(
          (profile ?? {}) as Record<string, unknown>,
          h ? sourceAddress(h) : "local",
          h?.get("user-agent") ?? "",
        );
        if (!result.ok) return `/login?error=${encodeURIComponent(result.error)}`;
        // next-auth hands this same object to the jwt callback below.
        Object.assign(user, { id: result.userId, role: result.role, sessionId: result.sessionId });
        return true;
      },
      async jwt({ token, user }) {
        if (user) {
          if (!isSignedIn(user)) throw new SessionEnded();
          token.uid = user.id;
          token.role = user.role;
          token.sid = user.sessionId;
          return token;
        }
        // Every read and renewal of the cookie (getServerSession, /api/auth/session) asks the session row.
        if (!token.sid || !(await isLiveSession(token.sid))) throw new SessionEnded();
        return token;
      },
      async session({ session, token }) {
        if (session.user) {
          session.user.id = String(token.uid ?? "");
          session.user.role = token.role as Role;
          session.user.sid = String(token.sid ?? "");
        }
        return session;
      },
    },
    events: {
      async signOut({ token }) {
        if (token?.sid) await signOutSession(token.sid, (await callbackAddress()) || "local");
      },
    },
    logger: {
      error(code, metadata) {
        if (metadata instanceof SessionEnded) return;
        // next-auth passes the error itself, or an object holding it (OAuth callbacks: { error, providerId }).
        const cause =
          metadata instanceof Error
            ? metadata
            : metadata && typeof metadata === "object" && "error" in metadata && metadata.error instanceof Error
              ? metadata.error
              : new Error(String(code));
        logError(`next-auth: ${code}`, cause);
      },
    },
    cookies: undefined,
    useSecureCookies: (process.env.NEXTAUTH_URL ?? "").startsWith("https://"),
  };
}
