import { expect, type Browser, type Page } from "@playwright/test";
import { signIn, type USERS } from "../helpers";

/** Creates a token through the dashboard as `who` and returns its secret (shown once on the page). */
export async function createToken(
  browser: Browser,
  baseURL: string,
  who: keyof typeof USERS,
  options: { name: string; scopes: string[]; team?: string },
): Promise<string> {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await signIn(page, who);
  const secret = await createTokenOn(page, options);
  await context.close();
  return secret;
}

/** Creates a token with the API tokens page of a signed-in `page` and returns its secret. */
export async function createTokenOn(page: Page, options: { name: string; scopes: string[]; team?: string }) {
  await page.goto("/account/tokens");
  const form = page.getByRole("region", { name: "New token" });
  await form.getByLabel("Token name").fill(options.name);
  for (const box of await form.getByRole("checkbox").all()) await box.uncheck();
  for (const scope of options.scopes) await form.getByRole("checkbox", { name: new RegExp(`^${scope} `) }).check();
  if (options.team) await form.getByLabel("Limit to one team's APIs").selectOption({ label: options.team });
  await form.getByRole("button", { name: "Create token" }).click();
  const secret = (await page.getByTestId("new-token").textContent())?.trim() ?? "";
  expect(secret).toMatch(/^apl_[0-9A-Za-z]{46}$/);
  return secret;
}
