// A real OpenID Connect provider (the `oidc-provider` package) for the single sign-on e2e test, started
// by playwright.config.ts. Its development login form accepts any login name; the account's groups
// claim follows the name: "*admin*" → apiledger-admins, "*owner*" → apiledger-owners, anything else → none.
import Provider from "oidc-provider";

const port = Number(process.env.OIDC_PORT ?? 3101);
const appUrl = process.env.APP_URL ?? "http://localhost:3100";

const groupsOf = (login) =>
  login.includes("admin") ? ["apiledger-admins"] : login.includes("owner") ? ["apiledger-owners"] : [];

const provider = new Provider(`http://localhost:${port}`, {
  clients: [
    {
      client_id: "apiledger-e2e",
      client_secret: "e2e-client-secret-not-used-anywhere-else",
      redirect_uris: [`${appUrl}/api/auth/callback/oidc`],
      grant_types: ["authorization_code"],
      response_types: ["code"],
    },
  ],
  claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"], groups: ["groups"] },
  scopes: ["openid", "email", "profile", "groups"],
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  features: { devInteractions: { enabled: true } },
  async findAccount(_ctx, id) {
    return {
      accountId: id,
      async claims() {
        return { sub: id, email: `${id}@sso.example`, email_verified: true, name: `SSO ${id}`, groups: groupsOf(id) };
      },
    };
  },
  // Consent is implied for this single first-party client.
  loadExistingGrant: async (ctx) => {
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope("openid email profile groups");
    await grant.save();
    return grant;
  },
});
provider.proxy = true;
provider.listen(port, () => console.log(`oidc provider on http://localhost:${port}`));
