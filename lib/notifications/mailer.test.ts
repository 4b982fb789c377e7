import { describe, expect, it } from "vitest";
import { checkSmtpUrl } from "@/lib/notifications/mailer";

describe("SMTP_URL at start", () => {
  it("accepts smtp and smtps URLs with percent-encoded credentials, and no setting", () => {
    expect(() => checkSmtpUrl({})).not.toThrow();
    expect(() => checkSmtpUrl({ SMTP_URL: "smtp://alert:p%23ss@mail.agency.example:587" })).not.toThrow();
    expect(() => checkSmtpUrl({ SMTP_URL: "smtps://mail.agency.example" })).not.toThrow();
  });

  it("refuses a URL that does not parse or is not SMTP, without repeating it (it holds the password)", () => {
    for (const bad of [
      "smtp://alert:p#ss@mail:587",
      "http://mail.example",
      "mail.example:25",
      "smtp://",
      "smtp://\u202email",
    ]) {
      let message = "";
      try {
        checkSmtpUrl({ SMTP_URL: bad });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message, bad).toMatch(/SMTP_URL is not a valid smtp/);
      expect(message).not.toContain("p#ss");
    }
  });
});
