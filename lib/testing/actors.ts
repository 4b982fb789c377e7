// A person as the app sees them once signed in (a fresh session: the recent sign-in some writes ask for),
// for tests that call the app's functions directly.
import { db } from "@/lib/db/client";
import { TOKEN_SCOPES, type Actor, type Role, type TokenScope } from "@/lib/authz/policy";
import { hashToken } from "@/lib/tokens/token-secret";

/**
 * A person as a session older than the recent sign-in some writes ask for carries them, or (with
 * `session`) as that session: for tests of what the sign-in's age and the role allow.
 */
export async function personActor(
  email: string,
  session?: { id: string; authenticatedAt: Date },
): Promise<Extract<Actor, { kind: "user" }>> {
  const u = await db.user.findUniqueOrThrow({ where: { email } });
  return {
    kind: "user",
    id: u.id,
    email: u.email,
    role: u.role as Role,
    teamId: u.teamId,
    ...(session ? { session } : {}),
  };
}

/** A person just signed in: the recent sign-in some writes ask for. */
export async function signedInActor(email: string): Promise<Actor> {
  return personActor(email, { id: "test", authenticatedAt: new Date() });
}

/** The account a bearer token authenticates, with the token's scopes and team (lib/rest/authenticate.ts). */
export async function tokenActor(secret: string): Promise<Actor> {
  const token = await db.apiToken.findUniqueOrThrow({
    where: { tokenHash: hashToken(secret) },
    include: { user: true },
  });
  return {
    kind: "user",
    id: token.user.id,
    email: token.user.email,
    role: token.user.role as Role,
    teamId: token.user.teamId,
    token: {
      id: token.id,
      scopes: token.scopes.split(",").filter((s): s is TokenScope => (TOKEN_SCOPES as readonly string[]).includes(s)),
      teamId: token.teamId,
    },
  };
}
