import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { attemptPasswordSignIn } from "@/lib/auth/sign-in";
import { signInWithOidc } from "@/lib/auth/oidc-sign-in";
import { oidcConfig } from "@/lib/auth/oidc";
import { nextAuthSecret } from "@/lib/runtime/secrets";
import type { Role } from "@/lib/authz/policy";
import { sourceAddress } from "@/lib/http/responses";
import { headers } from "next/headers";

function header(req: { headers?: Record<string, unknown> } | undefined, name: string): string {
  const value = req?.headers?.[name];
  return typeof value === "string" ? value : Array.isArray(value) ? String(value[0]) : "";
}

/** The client address as the HTTP server decided it (lib/server/source-address.ts). */
function clientIp(req: { headers?: Record<string, unknown> } | undefined): string {
  return sourceAddress({ get: (name) => header(req, name) || null });
}

/** The address of the request a next-auth callback runs in (single sign-on has no `req` to hand). */
async function callbackAddress(): Promise<string> {
  try {
    return sourceAddress(await headers());
  } catch {
    return "local";
  }
}

const SESSION_HOURS = Number(process.env.APILEDGER_SESSION_HOURS ?? 8);

export function authOptions(): NextAuthOptions {
  const oidc = oidcConfig();
  return {
    secret: nextAuthSecret(),
    session: { strategy: "jwt", maxAge: SESSION_HOURS * 3600 },
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
      async signIn({ account, profile }) {
        if (account?.provider !== "oidc") return true;
        // Maps the groups claim to a role and creates or updates the local user (audited).
        const result = await signInWithOidc((profile ?? {}) as Record<string, unknown>, await callbackAddress());
        return result.ok ? true : `/login?error=${encodeURIComponent(result.error)}`;
      },
      async jwt({ token, user, account, profile }) {
        if (account?.provider === "oidc" && profile) {
          const email = String((profile as Record<string, unknown>).email ?? "").toLowerCase();
          const { userIdByEmail } = await import("@/lib/auth/oidc-sign-in");
          const found = await userIdByEmail(email);
          if (found) {
            token.uid = found.id;
            token.role = found.role;
          }
        } else if (user && "role" in user) {
          token.uid = user.id;
          token.role = (user as { role: Role }).role;
        }
        return token;
      },
      async session({ session, token }) {
        if (session.user) {
          session.user.id = String(token.uid ?? "");
          session.user.role = token.role as Role;
        }
        return session;
      },
    },
    cookies: undefined,
    useSecureCookies: (process.env.NEXTAUTH_URL ?? "").startsWith("https://"),
  };
}
