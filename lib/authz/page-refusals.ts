// Why a page was refused, by its path: the forbidden page (app/(dashboard)/forbidden.tsx, HTTP 403) says
// it. Pages refuse with next/navigation's forbidden() after asking the policy (lib/authz/policy.ts).
const REFUSALS: [RegExp, string][] = [
  [/^\/users(\/|$)/, "Your role cannot see the list of users."],
  [/^\/training\/(new|import|[^/]+\/edit)$/, "Only managers and administrators record training."],
  [/^\/incidents\/new$/, "Auditors read incidents but do not report them."],
  [
    /^\/incidents\/[^/]+\/edit$/,
    "Only the incident's handler or an admin can edit it, and closed incidents only take addenda.",
  ],
  [/^\/audit\/api-calls$/, "Only admins and auditors can read the call log."],
  [/^\/audit$/, "Only admins and auditors can read the audit log."],
  [/^\/settings$/, "Only admins can change the installation's settings."],
  [/^\/apis\/new$/, "Your role cannot register APIs. System owners register the APIs of their team."],
  [/^\/apis\/clients\/import$/, "Only system owners (for their own APIs) and admins can import clients."],
  [/^\/apis\/[^/]+\/edit$/, "You can edit only APIs that you or your team own."],
  [/^\/acquisitions\/questions$/, "Only administrators edit the acquisition question list."],
  [/^\/evidence$/, "Only auditors and admins export evidence bundles."],
];

export function refusalFor(path: string): string {
  return REFUSALS.find(([pattern]) => pattern.test(path))?.[1] ?? "Your role does not allow this page.";
}
