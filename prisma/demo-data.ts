// The demo organisation seeded on first start (unless APILEDGER_DEMO=0): five teams, a few people per
// role, and 40 APIs spread over every exposure × sensitivity × authentication case the rules treat
// differently, including APIs with unknown facts, so every control outcome shows up on the dashboard.
import type { TApiInput } from "@/lib/apis/schemas";
import { EMPTY_API_INPUT } from "@/lib/apis/schemas";
import type { Role } from "@/lib/authz/policy";
import { EMPTY_CLIENT_INPUT, type TClientInput } from "@/lib/clients/schemas";

export const DEMO_PASSWORD = "ApiLedger-demo-1";

export const DEMO_TEAMS = [
  { key: "identity", name: "Identity & Access", description: "Directory, sign-in and entitlement services." },
  { key: "payments", name: "Payments", description: "Grants, payments and reconciliation." },
  { key: "records", name: "Records Management", description: "Case files and archival records." },
  { key: "platform", name: "Platform Engineering", description: "Shared platform, gateways and observability." },
  { key: "citizen", name: "Citizen Services", description: "Public-facing digital services." },
] as const;
export type DemoTeamKey = (typeof DEMO_TEAMS)[number]["key"];

export const DEMO_USERS: { email: string; name: string; role: Role; team: DemoTeamKey | null }[] = [
  { email: "admin@example.com", name: "Alex Admin", role: "ADMIN", team: null },
  { email: "owner@example.com", name: "Olivia Owner", role: "SYSTEM_OWNER", team: "payments" },
  { email: "manager@example.com", name: "Morgan Manager", role: "MANAGER", team: "payments" },
  { email: "auditor@example.com", name: "Avery Auditor", role: "AUDITOR", team: null },
  { email: "sam.owner@example.com", name: "Sam Nguyen", role: "SYSTEM_OWNER", team: "identity" },
  { email: "priya.owner@example.com", name: "Priya Shah", role: "SYSTEM_OWNER", team: "records" },
  { email: "lee.owner@example.com", name: "Lee Walker", role: "SYSTEM_OWNER", team: "platform" },
  { email: "jo.owner@example.com", name: "Jo Campbell", role: "SYSTEM_OWNER", team: "citizen" },
  { email: "kim.manager@example.com", name: "Kim Tran", role: "MANAGER", team: "identity" },
  { email: "ravi.manager@example.com", name: "Ravi Patel", role: "MANAGER", team: "records" },
  { email: "dana.admin@example.com", name: "Dana Brooks", role: "ADMIN", team: "platform" },
  { email: "chris.auditor@example.com", name: "Chris Ellis", role: "AUDITOR", team: null },
];

type Spec = Partial<TApiInput> & { name: string; purpose: string; team: DemoTeamKey; owner: string | null };

const RAW: Spec[] = [
  // Payments (the demo system owner's team)
  { team: "payments", owner: "owner@example.com", name: "Payments Ledger API", purpose: "Posts and reverses ledger entries for grant payments.", exposure: "INTERNAL", sensitivity: "PROTECTED", modifiesData: "yes", readsNonPublic: "yes", authMethods: ["MTLS"], authzModel: "RBAC", centrallyLogged: "yes", loggingDestination: "Splunk (index=payments)", dataCategories: ["FINANCIAL", "PERSONAL"] },
  { team: "payments", owner: "owner@example.com", name: "Bank File Gateway", purpose: "Sends payment files to the partner bank and receives returns.", exposure: "PARTNER", partnerLinkPrivate: true, sensitivity: "PROTECTED", modifiesData: "yes", readsNonPublic: "yes", authMethods: ["MTLS", "SIGNED_REQUESTS"], authzModel: "SCOPES", centrallyLogged: "yes", loggingDestination: "Splunk (index=payments)", dataCategories: ["FINANCIAL"] },
  { team: "payments", owner: "owner@example.com", name: "Grant Eligibility Check", purpose: "Answers whether an applicant is eligible for a grant.", exposure: "PARTNER", sensitivity: "OFFICIAL_SENSITIVE", modifiesData: "no", readsNonPublic: "yes", authMethods: ["OAUTH2_CLIENT_CREDENTIALS"], authzModel: "SCOPES", centrallyLogged: "no", dataCategories: ["PERSONAL"] },
  { team: "payments", owner: "owner@example.com", name: "Reconciliation Batch API", purpose: "Triggers nightly reconciliation and returns exceptions.", exposure: "INTERNAL", sensitivity: "OFFICIAL_SENSITIVE", modifiesData: "yes", readsNonPublic: "yes", authMethods: ["API_KEY"], authzModel: "RBAC", centrallyLogged: "yes", loggingDestination: "Elastic (payments-*)", dataCategories: ["FINANCIAL"] },
  { team: "payments", owner: "owner@example.com", name: "Payment Status Lookup", purpose: "Read-only status of a payment for call-centre staff.", exposure: "INTERNAL", sensitivity: "OFFICIAL_SENSITIVE", modifiesData: "no", readsNonPublic: "yes", authMethods: [], authzModel: "UNKNOWN", centrallyLogged: "unknown" },
  { team: "payments", owner: null, name: "Legacy Remittance Service", purpose: "Old remittance interface kept for two remaining callers.", exposure: "INTERNAL", sensitivity: "OFFICIAL", modifiesData: "yes", readsNonPublic: "yes", authMethods: ["BASIC"], authzModel: "NONE", centrallyLogged: "no", lifecycle: "DEPRECATED" },
  { team: "payments", owner: "owner@example.com", name: "Exchange Rates Feed", purpose: "Publishes the public daily exchange rates used in payments.", exposure: "INTERNET", sensitivity: "UNOFFICIAL", modifiesData: "no", readsNonPublic: "no", authMethods: ["NONE"], authzModel: "NONE", centrallyLogged: "no" },
  { team: "payments", owner: "owner@example.com", name: "Refunds API", purpose: "Creates refunds after an overpayment review.", exposure: "INTERNAL", sensitivity: "PROTECTED", modifiesData: "yes", readsNonPublic: "yes", authMethods: ["OIDC_JWT"], authzModel: "ABAC", centrallyLogged: "yes", loggingDestination: "Splunk (index=payments)", lifecycle: "PLANNED", dataCategories: ["FINANCIAL", "PERSONAL"] },
  // Identity & Access
  { team: "identity", owner: "sam.owner@example.com", name: "Directory Lookup API", purpose: "Finds staff by name, unit or clearance for internal apps.", exposure: "INTERNAL", sensitivity: "OFFICIAL_SENSITIVE", modifiesData: "no", readsNonPublic: "yes", authMethods: ["KERBEROS"], authzModel: "RBAC", centrallyLogged: "yes", loggingDestination: "Sentinel", dataCategories: ["PERSONAL"] },
  { team: "identity", owner: "sam.owner@example.com", name: "Account Provisioning API", purpose: "Creates, changes and disables staff accounts from HR events.", exposure: "INTERNAL", sensitivity: "PROTECTED", modifiesData: "yes", readsNonPublic: "yes", authMethods: ["MTLS", "OAUTH2_CLIENT_CREDENTIALS"], authzModel: "SCOPES", centrallyLogged: "yes", loggingDestination: "Sentinel", dataCategories: ["PERSONAL", "CREDENTIALS"] },
  { team: "identity", owner: "sam.owner@example.com", name: "Token Service", purpose: "Issues OAuth 2.0 access tokens to internal clients.", exposure: "INTERNAL", sensitivity: "PROTECTED", modifiesData: "yes", readsNonPublic: "yes", authMethods: ["MTLS"], authzModel: "SCOPES", centrallyLogged: "yes", loggingDestination: "Sentinel", dataCategories: ["CREDENTIALS"] },
  { team: "identity", owner: "sam.owner@example.com", name: "Clearance Register API", purpose: "Holds security clearance status for staff and contractors.", exposure: "INTERNAL", sensitivity: "SECRET", modifiesData: "yes", readsNonPublic: "yes", authMethods: ["MTLS"], authzModel: "ABAC", centrallyLogged: "yes", loggingDestination: "Sentinel (high side)", dataCategories: ["PERSONAL", "NATIONAL_SECURITY"] },
  { team: "identity", owner: "sam.owner@example.com", name: "Partner Federation Metadata", purpose: "Serves SAML/OIDC metadata to federated partner agencies.", exposure: "PARTNER", sensitivity: "UNOFFICIAL", modifiesData: "no", readsNonPublic: "no", authMethods: ["NONE"], authzModel: "NONE", centrallyLogged: "yes", loggingDestination: "Sentinel" },
  { team: "identity", owner: null, name: "Group Membership Sync", purpose: "Pushes group memberships to SaaS tools.", exposure: "INTERNET", sensitivity: "OFFICIAL", modifiesData: "yes", readsNonPublic: "yes", authMethods: ["OAUTH2_CLIENT_CREDENTIALS"], authzModel: "SCOPES", centrallyLogged: "unknown", dataCategories: ["PERSONAL"] },
  { team: "identity", owner: "sam.owner@example.com", name: "MFA Enrolment API", purpose: "Registers and resets staff MFA authenticators.", exposure: "INTERNAL", sensitivity: "PROTECTED", modifiesData: "yes", readsNonPublic: "yes", authMethods: ["OIDC_JWT"], authzModel: "RBAC", centrallyLogged: "no", dataCategories: ["CREDENTIALS"] },
  { team: "identity", owner: "sam.owner@example.com", name: "Privileged Access Broker", purpose: "Grants time-bound admin rights after approval.", exposure: "INTERNAL", sensitivity: "TOP_SECRET", modifiesData: "yes", readsNonPublic: "yes", authMethods: ["MTLS", "KERBEROS"], authzModel: "ABAC", centrallyLogged: "yes", loggingDestination: "Sentinel (high side)", dataCategories: ["CREDENTIALS", "NATIONAL_SECURITY"] },
  // Records Management
  { team: "records", owner: "priya.owner@example.com", name: "Case File API", purpose: "Stores and retrieves case files for investigators.", exposure: "INTERNAL", sensitivity: "PROTECTED", modifiesData: "yes", readsNonPublic: "yes", authMethods: ["OIDC_JWT"], authzModel: "ABAC", centrallyLogged: "yes", loggingDestination: "Elastic (records-*)", dataCategories: ["PERSONAL", "LAW_ENFORCEMENT"] },
  { team: "records", owner: "priya.owner@example.com", name: "Records Search", purpose: "Full-text search across the records archive.", exposure: "INTERNAL", sensitivity: "PROTECTED", modifiesData: "no", readsNonPublic: "yes", authMethods: ["OIDC_JWT"], authzModel: "RBAC", centrallyLogged: "no", dataCategories: ["PERSONAL"] },
  { team: "records", owner: "priya.owner@example.com", name: "Retention Scheduler", purpose: "Marks records for disposal when retention ends.", exposure: "INTERNAL", sensitivity: "OFFICIAL", modifiesData: "yes", readsNonPublic: "unknown", authMethods: ["API_KEY"], authzModel: "RBAC", centrallyLogged: "yes", loggingDestination: "Elastic (records-*)" },
  { team: "records", owner: "priya.owner@example.com", name: "FOI Release API", purpose: "Publishes documents released under Freedom of Information.", exposure: "INTERNET", sensitivity: "UNOFFICIAL", modifiesData: "no", readsNonPublic: "no", authMethods: ["NONE"], authzModel: "NONE", centrallyLogged: "yes", loggingDestination: "Elastic (public-*)" },
  { team: "records", owner: "priya.owner@example.com", name: "Archive Transfer API", purpose: "Transfers permanent records to the national archive.", exposure: "PARTNER", sensitivity: "OFFICIAL_SENSITIVE", modifiesData: "yes", readsNonPublic: "yes", authMethods: ["MTLS"], authzModel: "SCOPES", centrallyLogged: "yes", loggingDestination: "Elastic (records-*)", dataCategories: ["PERSONAL"] },
  { team: "records", owner: null, name: "Scanning Intake", purpose: "Receives scanned mail from the mailroom scanners.", exposure: "INTERNAL", sensitivity: "OFFICIAL_SENSITIVE", modifiesData: "yes", readsNonPublic: "yes", authMethods: ["NONE"], authzModel: "NONE", centrallyLogged: "no", dataCategories: ["PERSONAL"] },
  { team: "records", owner: "priya.owner@example.com", name: "Evidence Locker API", purpose: "Chain-of-custody store for digital evidence.", exposure: "INTERNAL", sensitivity: "SECRET", modifiesData: "yes", readsNonPublic: "yes", authMethods: ["MTLS", "SIGNED_REQUESTS"], authzModel: "ABAC", centrallyLogged: "yes", loggingDestination: "Sentinel (high side)", dataCategories: ["LAW_ENFORCEMENT"] },
  { team: "records", owner: "priya.owner@example.com", name: "Records Metadata Export", purpose: "Exports record metadata to the reporting warehouse.", exposure: "INTERNAL", sensitivity: "OFFICIAL", modifiesData: "unknown", readsNonPublic: "yes", authMethods: ["BASIC"], authzModel: "RBAC", centrallyLogged: "unknown", lifecycle: "RETIRED" },
  // Platform Engineering
  { team: "platform", owner: "lee.owner@example.com", name: "API Gateway Admin", purpose: "Configures routes, plugins and consumers of the API gateway.", exposure: "INTERNAL", sensitivity: "PROTECTED", modifiesData: "yes", readsNonPublic: "yes", authMethods: ["MTLS"], authzModel: "RBAC", centrallyLogged: "yes", loggingDestination: "Splunk (index=platform)", dataCategories: ["CREDENTIALS"] },
  { team: "platform", owner: "lee.owner@example.com", name: "Secrets Vault API", purpose: "Stores and leases application secrets.", exposure: "INTERNAL", sensitivity: "SECRET", modifiesData: "yes", readsNonPublic: "yes", authMethods: ["OIDC_JWT", "MTLS"], authzModel: "SCOPES", centrallyLogged: "yes", loggingDestination: "Splunk (index=platform)", dataCategories: ["CREDENTIALS"] },
  { team: "platform", owner: "lee.owner@example.com", name: "Metrics Query API", purpose: "Queries service metrics for dashboards.", exposure: "INTERNAL", sensitivity: "OFFICIAL", modifiesData: "no", readsNonPublic: "yes", authMethods: ["API_KEY"], authzModel: "NONE", centrallyLogged: "no" },
  { team: "platform", owner: "lee.owner@example.com", name: "Alert Webhook Receiver", purpose: "Receives alerts from monitoring and opens tickets.", exposure: "INTERNAL", sensitivity: "OFFICIAL", modifiesData: "yes", readsNonPublic: "no", authMethods: ["SIGNED_REQUESTS"], authzModel: "SCOPES", centrallyLogged: "yes", loggingDestination: "Splunk (index=platform)" },
  { team: "platform", owner: "lee.owner@example.com", name: "Container Registry API", purpose: "Pushes and pulls container images for builds.", exposure: "INTERNAL", sensitivity: "OFFICIAL_SENSITIVE", modifiesData: "yes", readsNonPublic: "yes", authMethods: ["BASIC"], authzModel: "RBAC", centrallyLogged: "yes", loggingDestination: "Splunk (index=platform)" },
  { team: "platform", owner: null, name: "Service Catalogue Sync", purpose: "Imports service metadata from the developer portal.", exposure: "INTERNAL", sensitivity: "OFFICIAL", modifiesData: "unknown", readsNonPublic: "unknown", authMethods: [], authzModel: "UNKNOWN", centrallyLogged: "unknown", lifecycle: "PLANNED" },
  { team: "platform", owner: "lee.owner@example.com", name: "Status Page API", purpose: "Publishes public service status.", exposure: "INTERNET", sensitivity: "UNOFFICIAL", modifiesData: "no", readsNonPublic: "no", authMethods: ["NONE"], authzModel: "NONE", centrallyLogged: "no" },
  { team: "platform", owner: "lee.owner@example.com", name: "Log Ingestion API", purpose: "Accepts structured logs from applications.", exposure: "INTERNAL", sensitivity: "PROTECTED", modifiesData: "yes", readsNonPublic: "no", authMethods: ["MTLS"], authzModel: "SCOPES", centrallyLogged: "yes", loggingDestination: "Splunk (index=_internal)" },
  // Citizen Services
  { team: "citizen", owner: "jo.owner@example.com", name: "Myaccount Profile API", purpose: "Lets citizens view and update their contact details.", exposure: "INTERNET", sensitivity: "OFFICIAL_SENSITIVE", modifiesData: "yes", readsNonPublic: "yes", authMethods: ["OIDC_JWT"], authzModel: "SCOPES", centrallyLogged: "yes", loggingDestination: "Sentinel", dataCategories: ["PERSONAL"] },
  { team: "citizen", owner: "jo.owner@example.com", name: "Appointment Booking API", purpose: "Books and cancels service-centre appointments.", exposure: "INTERNET", sensitivity: "OFFICIAL", modifiesData: "yes", readsNonPublic: "yes", authMethods: ["OIDC_JWT"], authzModel: "RBAC", centrallyLogged: "no", dataCategories: ["PERSONAL"] },
  { team: "citizen", owner: "jo.owner@example.com", name: "Office Locator", purpose: "Lists service-centre addresses and opening hours.", exposure: "INTERNET", sensitivity: "UNOFFICIAL", modifiesData: "no", readsNonPublic: "no", authMethods: ["NONE"], authzModel: "NONE", centrallyLogged: "yes", loggingDestination: "Sentinel" },
  { team: "citizen", owner: "jo.owner@example.com", name: "Document Upload API", purpose: "Receives supporting documents from applicants.", exposure: "INTERNET", sensitivity: "OFFICIAL_SENSITIVE", modifiesData: "yes", readsNonPublic: "no", authMethods: ["API_KEY"], authzModel: "SCOPES", centrallyLogged: "yes", loggingDestination: "Sentinel", dataCategories: ["PERSONAL", "HEALTH"] },
  { team: "citizen", owner: "jo.owner@example.com", name: "Notifications Preferences", purpose: "Stores how citizens want to be contacted.", exposure: "INTERNET", sensitivity: "OFFICIAL", modifiesData: "yes", readsNonPublic: "yes", authMethods: ["NONE"], authzModel: "NONE", centrallyLogged: "unknown", dataCategories: ["PERSONAL"] },
  { team: "citizen", owner: null, name: "Feedback Intake", purpose: "Receives website feedback forms.", exposure: "INTERNET", sensitivity: "OFFICIAL", modifiesData: "yes", readsNonPublic: "unknown", authMethods: ["NONE"], authzModel: "NONE", centrallyLogged: "no" },
  { team: "citizen", owner: "jo.owner@example.com", name: "Health Claims Partner API", purpose: "Receives claims from partner health providers.", exposure: "PARTNER", sensitivity: "PROTECTED", modifiesData: "yes", readsNonPublic: "yes", authMethods: ["MTLS", "OAUTH2_CLIENT_CREDENTIALS"], authzModel: "SCOPES", centrallyLogged: "yes", loggingDestination: "Sentinel", dataCategories: ["HEALTH", "PERSONAL"] },
  { team: "citizen", owner: "jo.owner@example.com", name: "Address Validation", purpose: "Validates postal addresses against the national address file.", exposure: "INTERNAL", sensitivity: "OFFICIAL", modifiesData: "no", readsNonPublic: "no", authMethods: ["API_KEY"], authzModel: "SCOPES", centrallyLogged: "yes", loggingDestination: "Sentinel" },
];

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/(^-|-$)/g, "");

export function demoApis(): { input: Omit<TApiInput, "teamId" | "ownerId">; team: DemoTeamKey; owner: string | null }[] {
  return RAW.map(({ team, owner, ...spec }, i) => ({
    team,
    owner,
    input: {
      ...EMPTY_API_INPUT,
      lifecycle: "ACTIVE",
      businessFunction: DEMO_TEAMS.find((t) => t.key === team)!.name,
      environments: [
        { name: "production", baseUrl: `https://${slug(spec.name)}.internal.example.gov.au` },
        ...(i % 3 === 0 ? [{ name: "test", baseUrl: `https://${slug(spec.name)}.test.example.gov.au` }] : []),
      ],
      authzRoles: spec.authzModel === "SCOPES" ? [`${slug(spec.name)}:read`, `${slug(spec.name)}:write`] : spec.authzModel === "RBAC" ? ["reader", "editor"] : [],
      docsUrl: `https://wiki.example.gov.au/apis/${slug(spec.name)}`,
      tags: [team, ...(spec.sensitivity && ["PROTECTED", "SECRET", "TOP_SECRET"].includes(spec.sensitivity) ? ["classified"] : [])],
      ...spec,
    },
  }));
}

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

/** A few clients per demo API of the Payments and Identity teams, with review flags of every kind. */
export function demoClients(): { api: string; client: TClientInput }[] {
  const base: TClientInput = { ...EMPTY_CLIENT_INPUT, approvedBy: "Payments manager", approvedAt: daysAgo(200), credentialIssuedAt: daysAgo(40), credentialExpiresAt: daysAgo(-325), lastSeenAt: daysAgo(1) };
  return [
    { api: "Payments Ledger API", client: { ...base, name: "gl-reconciliation", kind: "SERVICE_ACCOUNT", credentialType: "CLIENT_CERTIFICATE", scopes: ["ledger:read", "ledger:write"], canModify: true } },
    { api: "Payments Ledger API", client: { ...base, name: "finance-reporting", kind: "APPLICATION", credentialType: "OAUTH_CLIENT", scopes: ["ledger:read"] } },
    { api: "Payments Ledger API", client: { ...base, name: "legacy-batch", kind: "SERVICE_ACCOUNT", credentialType: "API_KEY", scopes: ["ledger:write"], canModify: true, approvedBy: "", approvedAt: "", credentialIssuedAt: daysAgo(700), credentialExpiresAt: daysAgo(30), lastSeenAt: daysAgo(150) } },
    { api: "Bank File Gateway", client: { ...base, name: "partner-bank-sftp-relay", kind: "APPLICATION", credentialType: "CLIENT_CERTIFICATE", scopes: ["files:send", "files:receive"], canModify: true } },
    { api: "Grant Eligibility Check", client: { ...base, name: "grants-portal", kind: "APPLICATION", credentialType: "OAUTH_CLIENT", scopes: ["eligibility:read"], credentialIssuedAt: daysAgo(120) } },
    { api: "Reconciliation Batch API", client: { ...base, name: "ops-team", kind: "TEAM", credentialType: "API_KEY", scopes: ["reconcile:run"], canModify: true, lastSeenAt: "" } },
    { api: "Refunds API", client: { ...base, name: "refund-officers", kind: "TEAM", credentialType: "JWT", scopes: ["refunds:write"], canModify: true, approvedBy: "", approvedAt: "" } },
    { api: "Account Provisioning API", client: { ...base, approvedBy: "Identity manager", name: "hr-events", kind: "SERVICE_ACCOUNT", credentialType: "CLIENT_CERTIFICATE", scopes: ["accounts:write"], canModify: true } },
    { api: "Token Service", client: { ...base, approvedBy: "Identity manager", name: "all-internal-apps", kind: "APPLICATION", credentialType: "CLIENT_CERTIFICATE", scopes: ["token:issue"], canModify: true, credentialIssuedAt: "" } },
    { api: "Directory Lookup API", client: { ...base, approvedBy: "Identity manager", name: "intranet", kind: "APPLICATION", credentialType: "KERBEROS", scopes: ["directory:read"] } },
  ];
}

/** Two of the three required documents: a current access-control policy and an incident procedure overdue for review. */
export const DEMO_DOCUMENTS = [
  {
    document: { kind: "ACCESS_CONTROL_POLICY", title: "API access-control policy", description: "Who may call internal APIs, how clients are authenticated and authorised, and how access is reviewed." },
    version: {
      label: "2.0",
      changeNote: "Quarterly access reviews; mutual TLS or OAuth 2.0 for every service client.",
      body: "# API access-control policy\n\n1. Every client of an internal API is authenticated (mutual TLS or OAuth 2.0 client credentials).\n2. Every client is authorised for the least set of operations it needs (scopes or roles).\n3. Grants are approved by the API's owner and reviewed every quarter.\n4. API calls and failed authentications are logged centrally.",
      effectiveDate: "2026-07-01",
      nextReviewDate: "2027-07-01",
    },
  },
  {
    document: { kind: "INCIDENT_PROCEDURE", title: "Procedure for API access incidents", description: "Steps for suspected unauthorised access to an internal API." },
    version: {
      label: "1.0",
      changeNote: "First issue.",
      body: "# Procedure for API access incidents\n\n1. Revoke or rotate the affected credentials.\n2. Tell the CISO within one hour; report to ASD's ReportCyber where required.\n3. Record the incident in ApiLedger and keep its timeline.",
      effectiveDate: "2025-05-01",
      nextReviewDate: "2026-05-01",
    },
  },
] as const;

/** Training so far: most API owners attended this year's session; one was trained too long ago. */
export const DEMO_TRAINING = [
  { input: { topic: "Securing internal APIs: authentication and authorisation", heldOn: "2026-03-10", trainer: "Cyber security team", durationMinutes: 90, isApiSecurity: true, notes: "ISM-2013/2014, mutual TLS, OAuth 2.0 scopes, access reviews.", materialsId: "", attendeeIds: [] as string[] }, attendees: ["owner@example.com", "manager@example.com", "sam.owner@example.com", "lee.owner@example.com"] },
  { input: { topic: "API security refresher", heldOn: "2025-06-01", trainer: "Cyber security team", durationMinutes: 60, isApiSecurity: true, notes: "", materialsId: "", attendeeIds: [] as string[] }, attendees: ["priya.owner@example.com"] },
];
