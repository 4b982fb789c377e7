import "server-only";
import { authorizedWrite, type WriteContext } from "@/lib/audit/authorized-write";
import { db } from "@/lib/db/client";

// The starting question list (ISM-2013/2014 ask that API clients are authenticated and authorised;
// ISM-2015 that API calls are logged centrally). Admins edit it afterwards.
export const DEFAULT_QUESTIONS = [
  {
    text: "Does it support strong client authentication for its APIs, such as mutual TLS or OAuth 2.0 client credentials?",
    help: "Shared static API keys or basic authentication alone are not enough.",
  },
  {
    text: "Does it support per-client authorisation (scopes, roles or permissions) so each client gets only what it needs?",
    help: "",
  },
  {
    text: "Does it log API calls, including failed authentication, to our central logging service?",
    help: "Syslog, OpenTelemetry or a SIEM connector; say which.",
  },
  { text: "Does it support rotating and revoking client credentials without downtime?", help: "" },
  {
    text: "Anything else about its API authentication and authorisation we should know?",
    help: "Default accounts, undocumented admin APIs, vendor remote access…",
  },
];

/** Installs the default question list once, when there has never been one. */
export async function ensureDefaultQuestions(ctx: WriteContext): Promise<boolean> {
  if ((await db.acquisitionQuestion.count()) > 0) return false;
  return authorizedWrite(ctx, { permission: "acquisition:manage-questions" }, async (tx, audit) => {
    if ((await tx.acquisitionQuestion.count()) > 0) return false;
    for (const [position, q] of DEFAULT_QUESTIONS.entries())
      await tx.acquisitionQuestion.create({ data: { ...q, position } });
    await audit({
      action: "acquisition.questions.default",
      targetType: "acquisition-questions",
      targetId: "-",
      summary: `Default acquisition checklist installed (${DEFAULT_QUESTIONS.length} questions)`,
      details: { questions: DEFAULT_QUESTIONS.map((q) => q.text) },
    });
    return true;
  });
}
