// An admin wires a webhook from Settings as a user would: adds it, copies the secret shown once, sends a
// test event, and the receiver (a real HTTP server here) gets a request its Standard Webhooks library
// verifies with that secret; the delivery log then shows it delivered. The secret is replaced (both sign
// for a day) and the webhook removed. Others do not see the section.
import http from "node:http";
import { expect, test } from "@playwright/test";
import { Webhook } from "standardwebhooks";
import { expectAccessible, signIn } from "./helpers";

test("admin adds a webhook, sends a test event the receiver verifies, and reads the delivery log", async ({ page }) => {
  const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      received.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  try {
    await signIn(page, "admin");
    await page.goto("/settings");
    const section = page.getByRole("region", { name: "Webhooks" });
    await section.getByLabel("Name").fill("E2E receiver");
    await section.getByLabel("Receiver URL").fill("http://hooks.example/not-https");
    await section.getByRole("button", { name: "Add webhook" }).click();
    await expect(section.getByText("Use https:// (plain http only to this machine).")).toBeVisible();
    await section.getByLabel("Receiver URL").fill(`http://127.0.0.1:${port}/apiledger`);
    await section.getByRole("checkbox", { name: /export\.finished/ }).check();
    await section.getByRole("button", { name: "Add webhook" }).click();
    const secret = (await section.getByTestId("new-token").textContent())!.trim();
    expect(secret).toMatch(/^whsec_/);
    await expectAccessible(page);
    await section.getByRole("button", { name: "Send test to E2E receiver" }).click();
    await expect(section.getByRole("status").filter({ hasText: "Test event queued" })).toBeVisible();
    // The webhook-delivery job runs every 15 s.
    await expect.poll(() => received.length, { timeout: 40_000 }).toBeGreaterThan(0);
    const [first] = received;
    const event = new Webhook(secret).verify(first!.body, {
      "webhook-id": String(first!.headers["webhook-id"]),
      "webhook-timestamp": String(first!.headers["webhook-timestamp"]),
      "webhook-signature": String(first!.headers["webhook-signature"]),
    }) as { type: string; data: { webhook: string } };
    expect(event).toMatchObject({ type: "webhook.test", data: { webhook: "E2E receiver" } });
    await page.reload();
    const log = page.getByRole("table", { name: "Webhook delivery log" });
    await expect(log.getByRole("row").filter({ hasText: "webhook.test" }).first()).toContainText("delivered");
    await expect(log).toContainText("HTTP 204");
    // The secret is never shown again.
    await expect(page.getByText(secret)).toHaveCount(0);
    // A new secret, shown once; the next delivery carries a signature the new secret verifies and one the
    // old secret verifies, so the receiver can be changed over without missing events.
    await page.getByRole("button", { name: "Replace secret of E2E receiver" }).click();
    const confirm = page.getByRole("dialog", { name: "Replace the signing secret of E2E receiver?" });
    await expect(confirm.getByRole("button", { name: "Go back" })).toBeFocused();
    await confirm.getByRole("button", { name: "Replace secret" }).click();
    const replaced = (await section.getByTestId("new-token").textContent())!.trim();
    expect(replaced).toMatch(/^whsec_/);
    expect(replaced).not.toBe(secret);
    await expect(section.getByText(/old secret also signs until/)).toBeVisible();
    await expectAccessible(page);
    const before = received.length;
    await section.getByRole("button", { name: "Send test to E2E receiver" }).click();
    await expect.poll(() => received.length, { timeout: 40_000 }).toBeGreaterThan(before);
    const rotated = received.at(-1)!;
    for (const key of [secret, replaced])
      expect(
        new Webhook(key).verify(rotated.body, {
          "webhook-id": String(rotated.headers["webhook-id"]),
          "webhook-timestamp": String(rotated.headers["webhook-timestamp"]),
          "webhook-signature": String(rotated.headers["webhook-signature"]),
        }),
      ).toMatchObject({ type: "webhook.test" });
    await page.getByRole("button", { name: "Turn off E2E receiver" }).click();
    await expect(page.getByRole("button", { name: "Turn on E2E receiver" })).toBeVisible();
    // Removed, by keyboard: the dialog opens on Enter and its focus starts on "Go back".
    await page.getByRole("button", { name: "Remove E2E receiver" }).focus();
    await page.keyboard.press("Enter");
    const removal = page.getByRole("dialog", { name: "Remove E2E receiver?" });
    await expect(removal).toContainText("deliveries still waiting are not sent");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    await expect(section.getByRole("status").filter({ hasText: "E2E receiver removed." })).toBeVisible();
    await expect(section.getByRole("listitem").filter({ hasText: "E2E receiver" })).toHaveCount(0);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});

test("managers have no Settings page, so no webhooks", async ({ page }) => {
  await signIn(page, "manager");
  const response = await page.goto("/settings");
  expect(response?.status()).toBe(403);
});
