import { expect, type Browser } from "@playwright/test";
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
  await page.goto("/account/tokens");
  const form = page.getByRole("region", { name: "New token" });
  await form.getByLabel("Token name").fill(options.name);
  for (const box of await form.getByRole("checkbox").all()) await box.uncheck();
  for (const scope of options.scopes) await form.getByRole("checkbox", { name: new RegExp(`^${scope} `) }).check();
  if (options.team) await form.getByLabel("Limit to one team's APIs").selectOption({ label: options.team });
  await form.getByRole("button", { name: "Create token" }).click();
  const secret = (await page.getByTestId("new-token").textContent())?.trim() ?? "";
  expect(secret).toMatch(/^apl_[0-9A-Za-z]{46}$/);
  await context.close();
  return secret;
}
