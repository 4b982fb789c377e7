import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/options";
import { rateLimited, takeAddressRequest } from "@/lib/http/rate-limit";
import { problemFor, sourceAddress } from "@/lib/http/responses";

type Context = { params: Promise<{ nextauth: string[] }> };

async function handler(request: Request, context: Context) {
  return NextAuth(authOptions())(request, context);
}

/**
 * Sign-in attempts are counted per source address before next-auth reads the form (and before any
 * password hash), like REST calls: an unauthenticated flood gets 429 with Retry-After.
 */
async function post(request: Request, context: Context) {
  if (new URL(request.url).pathname.startsWith("/api/auth/callback/")) {
    const limit = await takeAddressRequest(sourceAddress(request.headers));
    if (!limit.ok) return problemFor(rateLimited(limit));
  }
  return handler(request, context);
}

export { handler as GET, post as POST };
