import { expect, test, type Page } from "@playwright/test";
import { generate } from "otplib";
import {
  createPerson,
  expectAccessible,
  NEW_PASSWORD,
  replaceOneTimePassword,
  signIn,
  signInAs,
  stealCookies,
} from "./helpers";

// Multi-factor sign-in as a person uses it: an authenticator app (codes computed here from the key the
// page shows, as the app would), a passkey (Chromium's virtual authenticator through CDP), recovery
// codes, the forced enrolment when an admin requires it, and an admin's reset.

/** The app's code now, and the one for the next 30-second step (newer than the current one, within tolerance). */
const currentCode = (secret: string) => generate({ secret });
const nextCode = (secret: string) => generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 });

/** A new person who has replaced their one-time password and is signed in (the demo requires no second factor). */
async function newSignedInPerson(admin: Page, page: Page) {
  const person = await createPerson(admin, "AUDITOR");
  await replaceOneTimePassword(page, person);
  await signInAs(page, person.email, NEW_PASSWORD);
  await expect(page.getByRole("heading", { name: "Dashboard", level: 1 })).toBeVisible();
  return person;
}

/** Sets up an authenticator app on the page in front of it; returns the key and the recovery codes. */
async function enrolTotp(page: Page) {
  await page.getByRole("button", { name: "Set up an authenticator app" }).click();
  const secret = (await page.getByTestId("totp-secret").textContent())!;
  await expect(page.getByRole("img", { name: "QR code of the authenticator key" }).locator("svg")).toBeVisible();
  await page.getByLabel("Code from the app").fill("000000");
  await page.getByRole("button", { name: "Add authenticator app" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "That code is not right" })).toBeVisible();
  await page.getByLabel("Code from the app").fill(await currentCode(secret));
  await page.getByRole("button", { name: "Add authenticator app" }).click();
  const list = page.getByRole("list", { name: "Recovery codes" });
  await expect(list.getByRole("listitem")).toHaveCount(10);
  const codes = await list.getByRole("listitem").allTextContents();
  return { secret, codes };
}

async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByLabel("Email")).toBeVisible();
}

async function expectWaitingForSecondFactor(page: Page) {
  await expect(page).toHaveURL(/\/login\/verify/);
  await expect(page.getByRole("heading", { name: "Second factor", level: 1 })).toBeVisible();
  // Nothing opens on the password alone: pages send back here, REST and CSV refuse.
  await page.goto("/apis");
  await expect(page).toHaveURL(/\/login\/verify/);
  const rest = await page.request.get("/api/v1/apis");
  expect(rest.status()).toBe(403);
  expect((await rest.json()).detail).toContain("second factor");
  expect((await page.request.get("/api/apis/export")).status()).toBe(403);
}

test.describe("multi-factor sign-in", () => {
  test("an authenticator app: enrol, sign in with its code, a reused or wrong code refused, a recovery code once", async ({
    page,
    browser,
  }) => {
    // Three sign-ins with a second factor each, two accessibility checks and the audit log: about 50 s
    // on an idle two-core machine, too close to the 60 s default.
    test.setTimeout(120_000);
    const adminPage = await (await browser.newContext()).newPage();
    await signIn(adminPage, "admin");
    const person = await newSignedInPerson(adminPage, page);

    await page.goto("/account/security");
    await expect(page.getByRole("heading", { name: "Second factors", level: 1 })).toBeVisible();
    await expectAccessible(page);
    const { secret, codes } = await enrolTotp(page);
    await page.getByRole("button", { name: "I have saved them" }).click();
    await expect(page.getByRole("cell", { name: "Authenticator app" }).first()).toBeVisible();
    await expect(page.getByText("Recovery codes left: 10")).toBeVisible();

    // Sign in again: the password now leads to the second step.
    await signOut(page);
    await signInAs(page, person.email, NEW_PASSWORD);
    await expectWaitingForSecondFactor(page);
    await page.goto("/login/verify");
    await expectAccessible(page);
    // A wrong code is refused (and counts as a failed sign-in).
    await page.getByLabel("Code from your authenticator app").fill("123456");
    await page.getByRole("button", { name: "Verify" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "not right" })).toBeVisible();
    const code = await nextCode(secret);
    await page.getByLabel("Code from your authenticator app").fill(code);
    await page.getByRole("button", { name: "Verify" }).click();
    await expect(page.getByRole("heading", { name: "Dashboard", level: 1 })).toBeVisible();

    // The same code a second time, in a new sign-in, is refused: each code works once.
    await signOut(page);
    await signInAs(page, person.email, NEW_PASSWORD);
    await expect(page).toHaveURL(/\/login\/verify/);
    await page.getByLabel("Code from your authenticator app").fill(code);
    await page.getByRole("button", { name: "Verify" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "not right" })).toBeVisible();

    // A recovery code instead: it works once.
    await page.getByRole("button", { name: "Use a recovery code instead" }).click();
    await page.getByLabel("Recovery code").fill(codes[0]!.toLowerCase());
    await page.getByRole("button", { name: "Verify" }).click();
    await expect(page.getByRole("heading", { name: "Dashboard", level: 1 })).toBeVisible();
    await page.goto("/account/security");
    await expect(page.getByText("Recovery codes left: 9")).toBeVisible();
    await page.goto("/account/sessions");
    await expect(page.getByRole("cell", { name: "Password + recovery code" }).first()).toBeVisible();
    await signOut(page);
    await signInAs(page, person.email, NEW_PASSWORD);
    await page.getByRole("button", { name: "Use a recovery code instead" }).click();
    await page.getByLabel("Recovery code").fill(codes[0]!);
    await page.getByRole("button", { name: "Verify" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "not right" })).toBeVisible();

    // The wrong second factors were failed sign-ins, recorded like wrong passwords.
    await adminPage.goto(`/audit?q=${encodeURIComponent(person.email)}`);
    await expect(
      adminPage.getByText(/Failed sign-in for \S+ \(wrong second factor \(authenticator app\)\)/).first(),
    ).toBeVisible();
    await expect(
      adminPage.getByText(/Second factor given by .* \(recovery code\), 9 recovery code\(s\) left/).first(),
    ).toBeVisible();
  });

  test("a passkey from Chromium's virtual authenticator: enrol, then sign in with it", async ({ page, browser }) => {
    const adminPage = await (await browser.newContext()).newPage();
    await signIn(adminPage, "admin");
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("WebAuthn.enable");
    const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
      options: {
        protocol: "ctap2",
        transport: "internal",
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });
    const person = await newSignedInPerson(adminPage, page);
    await page.goto("/account/security");
    await page.getByRole("button", { name: "Add a passkey" }).click();
    await expect(page.getByRole("list", { name: "Recovery codes" }).getByRole("listitem")).toHaveCount(10);
    await page.getByRole("button", { name: "I have saved them" }).click();
    await expect(page.getByRole("cell", { name: "Passkey", exact: true }).first()).toBeVisible();
    const { credentials } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
    expect(credentials).toHaveLength(1);

    await signOut(page);
    await signInAs(page, person.email, NEW_PASSWORD);
    await expectWaitingForSecondFactor(page);
    await page.goto("/login/verify");
    await page.getByRole("button", { name: "Use a passkey" }).click();
    await expect(page.getByRole("heading", { name: "Dashboard", level: 1 })).toBeVisible();
    await page.goto("/account/sessions");
    await expect(page.getByRole("cell", { name: "Password + passkey" }).first()).toBeVisible();
    // The authenticator's signature counter moved on with the sign-in.
    const after = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
    expect(after.credentials[0]!.signCount).toBeGreaterThan(0);
  });

  test("when an admin requires it, a person must enrol before anything opens; an admin's reset ends their session", async ({
    page,
    browser,
  }) => {
    const adminPage = await (await browser.newContext()).newPage();
    await signIn(adminPage, "admin");
    const setRequirement = async (value: "everyone" | "nobody") => {
      await adminPage.goto("/settings");
      await adminPage.getByLabel("Second factor required for").selectOption(value);
      await adminPage.getByRole("button", { name: "Save settings" }).click();
      await expect(adminPage.getByRole("status").filter({ hasText: "Saved" })).toBeVisible();
    };
    const person = await createPerson(adminPage, "AUDITOR");
    await setRequirement("everyone");
    try {
      await replaceOneTimePassword(page, person);
      await signInAs(page, person.email, NEW_PASSWORD);
      await expect(page).toHaveURL(/\/account\/enrol/);
      await expect(page.getByRole("heading", { name: "Enrol a second factor", level: 1 })).toBeVisible();
      await expectAccessible(page);
      // Nothing else opens until it is done.
      await page.goto("/apis");
      await expect(page).toHaveURL(/\/account\/enrol/);
      const rest = await page.request.get("/api/v1/apis");
      expect(rest.status()).toBe(403);
      expect((await rest.json()).detail).toContain("enrol");
      await enrolTotp(page);
      await page.getByRole("button", { name: "I have saved them" }).click();
      await expect(page.getByRole("heading", { name: "Dashboard", level: 1 })).toBeVisible();
      expect((await page.request.get("/api/v1/apis")).status()).toBe(200);

      // The admin resets the person's factors: the person's session (and any copy of it) ends.
      const thief = await stealCookies(browser, page);
      await adminPage.goto("/users");
      await adminPage.getByRole("link", { name: `${person.name}: sessions and tokens` }).click();
      const factors = adminPage.getByRole("region", { name: "Second factors" });
      await expect(factors.getByRole("cell", { name: "Authenticator app" }).first()).toBeVisible();
      await factors.getByRole("button", { name: "Reset second factors" }).click();
      await expect(adminPage.getByRole("status").filter({ hasText: "reset" })).toBeVisible();
      await thief.goto("/apis");
      await expect(thief).toHaveURL(/\/login/);
      await page.goto("/apis");
      await expect(page).toHaveURL(/\/login/);
      // …and must enrol again at the next sign-in.
      await signInAs(page, person.email, NEW_PASSWORD);
      await expect(page).toHaveURL(/\/account\/enrol/);
    } finally {
      await setRequirement("nobody");
    }
  });
});
