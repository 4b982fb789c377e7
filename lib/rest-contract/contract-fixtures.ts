// What the REST contract suite calls with: bearer tokens made through the app's own service (one with
// every scope, one limited to team A, one lacking each scope), and team A's and team B's objects made
// over REST itself (so those calls are judged too). Access reviews have no REST write: the campaign is
// opened through its service, as the dashboard would.
import { randomUUID } from "node:crypto";
import { db } from "@/lib/db/client";
import { TOKEN_SCOPES, type Role, type TokenScope } from "@/lib/authz/policy";
import type { WriteContext } from "@/lib/audit/authorized-write";
import { createToken } from "@/lib/tokens/create-token";
import { createTrafficSource } from "@/lib/traffic/create-source";
import { openCampaign } from "@/lib/reviews/open-campaign";
import { startReview, saveReview } from "@/lib/reviews/save-review";
import { signOffReview } from "@/lib/reviews/sign-off-review";
import { addAddendum } from "@/lib/reviews/add-addendum";
import { assignReviewer } from "@/lib/reviews/assign-reviewer";
import { CHECKLIST_ITEMS } from "@/lib/reviews/schemas";
import { addIncidentFollowUp } from "@/lib/incidents/add-incident-follow-up";
import { EMPTY_API_INPUT } from "@/lib/apis/schemas";
import { EMPTY_CLIENT_INPUT } from "@/lib/clients/schemas";
import type { ContractClient } from "@/lib/rest-contract/contract-client";

export const unique = () => randomUUID().slice(0, 8);
const hourAgo = () => new Date(Date.now() - 3_600_000).toISOString();

export const apiBody = (teamId: string, name = `Contract API ${unique()}`) => ({
  ...EMPTY_API_INPUT,
  name,
  purpose: "Registered by the REST contract suite.",
  teamId,
  lifecycle: "ACTIVE",
  readsNonPublic: "yes",
  modifiesData: "yes",
  authMethods: ["MTLS"],
});
export const clientBody = (name = `contract-client-${unique()}`) => ({
  ...EMPTY_CLIENT_INPUT,
  name,
  scopes: ["ledger:read"],
  approvedBy: "The contract suite",
  approvedAt: "2026-11-01",
});
export const incidentBody = (apiIds: string[]) => ({
  title: `Contract incident ${unique()}`,
  type: "MISCONFIGURATION",
  severity: "LOW",
  detectedAt: hourAgo(),
  reportedAt: hourAgo(),
  reportedBy: "The contract suite",
  description: "Reported by the REST contract suite.",
  apiIds,
  affectedClients: "",
  rootCause: "",
  lessonsLearned: "",
});
export const eventBody = (api: string) => [
  { time: hourAgo(), api, clientId: "contract", principal: "contract", outcome: "success", sourceIp: "10.1.2.3" },
];
/** A line of NGINX's JSON access log (the nginx traffic profile). */
export const nginxRecord = () => ({
  time: new Date(Date.now() - 5000).toISOString(),
  remote_addr: "10.0.0.9",
  request_method: "GET",
  host: "ledger.internal.example",
  uri: "/v1/entries",
  status: 200,
  request_id: unique(),
  client_id: "contract-client",
});

/** Amazon Data Firehose's HTTP endpoint request of API Gateway access-log lines ($context variables as JSON). */
export const firehoseBody = (lines: object[] = [awsRecord()]) => ({
  requestId: "ed4acda5-034f-9f42-bba1-f29aea6d7d8f",
  timestamp: Date.now(),
  records: lines.map((l) => ({ data: Buffer.from(`${JSON.stringify(l)}\n`).toString("base64") })),
});
export const awsRecord = () => ({
  requestId: unique(),
  ip: "10.0.0.9",
  requestTimeEpoch: Date.now() - 5000,
  httpMethod: "GET",
  resourcePath: "/v1/entries",
  path: "/v1/entries",
  status: "200",
  domainName: "ledger.internal.example",
  apiKeyId: "contract-client",
});

export const DESCRIPTION = {
  openapi: "3.1.0",
  info: { title: "Contract target", version: "1" },
  paths: { "/items": { get: { security: [], responses: { "200": { description: "Items" } } } } },
};
export const PERIOD = String(new Date().getUTCFullYear());

export type Fixture = Awaited<ReturnType<typeof makeContractFixture>>;

export async function makeContractFixture(client: ContractClient) {
  const admin = await db.user.findUniqueOrThrow({
    where: { email: "admin@example.com" },
    select: { id: true, email: true, role: true, teamId: true },
  });
  const write: WriteContext = { actor: { kind: "user", ...admin, role: admin.role as Role }, ip: "contract-suite" };
  const teamId = async (name: string) => (await db.team.findFirstOrThrow({ where: { name }, select: { id: true } })).id;
  const teamA = await teamId("Payments");
  const teamB = await teamId("Identity & Access");
  const token = async (scopes: readonly TokenScope[], team = "") =>
    (
      await createToken(write, null, {
        name: `contract-${unique()}`,
        scopes: [...scopes],
        teamId: team,
        expiresInDays: 1,
      })
    ).secret;
  const full = await token(TOKEN_SCOPES);
  client.defaultToken = full;
  const lacking = new Map<TokenScope, string>();
  for (const scope of TOKEN_SCOPES) lacking.set(scope, await token(TOKEN_SCOPES.filter((s) => s !== scope)));

  const created = async (op: string, call: Parameters<ContractClient["send"]>[1], status: number) =>
    ((await client.send(op, call, status, "fixture")).json as { id: string }).id;
  const newApi = (team = teamA) => created("POST /api/v1/apis", { json: apiBody(team) }, 201);
  const newClient = (api: string) =>
    created("POST /api/v1/apis/{id}/clients", { params: { id: api }, json: clientBody() }, 201);
  const newIncident = (api: string) => created("POST /api/v1/incidents", { json: incidentBody([api]) }, 201);
  const newExport = (team: string) =>
    created("POST /api/v1/evidence/exports", { json: { period: PERIOD, teamIds: [team] } }, 202);
  const describedApi = async () => {
    const id = await newApi();
    await client.send(
      "PUT /api/v1/apis/{id}/openapi",
      { params: { id }, body: JSON.stringify(DESCRIPTION), contentType: "application/json" },
      200,
      "fixture",
    );
    return id;
  };
  /** The ETag a GET gives, to send back as If-Match. */
  const etag = async (op: string, params: Record<string, string>) =>
    (await client.send(op, { params }, 200, "fixture")).headers.get("etag") ?? "";

  const apiA = await newApi();
  const apiB = await newApi(teamB);
  const [clientA, clientB] = [await newClient(apiA), await newClient(apiB)];
  const [incidentA, incidentB] = [await newIncident(apiA), await newIncident(apiB)];
  const [exportA, exportB] = [await newExport(teamA), await newExport(teamB)];
  const { id: campaign } = await openCampaign(write, { quarter: "2019-Q1", extraApiIds: [apiA, apiB] });
  const review = async (api: string) =>
    (await db.review.findFirstOrThrow({ where: { campaignId: campaign, apiId: api }, select: { id: true } })).id;
  const [reviewA, reviewB] = [await review(apiA), await review(apiB)];
  // What only some answers carry, so the description of it is judged too: team A's incident with a
  // follow-up and a notification, its review signed off with a decision, a follow-up and an addendum,
  // and an event on its API.
  await addIncidentFollowUp(write, incidentA, {
    description: "Rotate the key",
    ownerId: admin.id,
    dueOn: "2030-01-01",
  });
  await client.send(
    "POST /api/v1/incidents/{id}/entries",
    { params: { id: incidentA }, json: { kind: "notification", recipient: "CISO", text: "Told the CISO" } },
    201,
    "fixture",
  );
  await signedOff(write, admin.id, reviewA, clientA);
  await client.send("POST /api/v1/events/auth", { json: eventBody(apiA) }, 201, "fixture");

  /** Waits until the export is built; its id. */
  const finished = async (id: string) => {
    for (let i = 0; i < 600; i++) {
      const { json } = await client.send("GET /api/v1/evidence/exports/{id}", { params: { id } }, 200, "fixture");
      const status = (json as { status?: string }).status;
      if (status === "DONE") return id;
      if (status !== "RUNNING") throw new Error(`The evidence export ${id} ended ${status}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`The evidence export ${id} did not finish`);
  };

  return {
    baseUrl: client.baseUrl,
    tokens: {
      full,
      teamA: await token(TOKEN_SCOPES, teamA),
      lacking,
      // A lenient NGINX traffic source in front of API A: POST /api/v1/traffic answers only its token.
      source: (
        await createTrafficSource(write, {
          name: `contract-gateway-${unique()}`,
          profile: "nginx",
          lenient: true,
          teamId: teamA,
          apiId: apiA,
        })
      ).secret,
      // A lenient API Gateway source (a Firehose delivery stream) in front of API A.
      aws: (
        await createTrafficSource(write, {
          name: `contract-firehose-${unique()}`,
          profile: "aws",
          lenient: true,
          teamId: teamA,
          apiId: apiA,
        })
      ).secret,
      // A lenient OpenTelemetry source in front of API A: POST /api/v1/otlp/v1/{logs,traces} answer only its token.
      otlp: (
        await createTrafficSource(write, {
          name: `contract-collector-${unique()}`,
          profile: "otlp",
          lenient: true,
          teamId: teamA,
          apiId: apiA,
        })
      ).secret,
    },
    teamA,
    teamB,
    apiA,
    apiB,
    clientA,
    clientB,
    incidentA,
    incidentB,
    exportA,
    exportB,
    campaign,
    reviewA,
    reviewB,
    newApi,
    newClient,
    newIncident,
    newExport,
    describedApi,
    etag,
    finished,
  };
}

/** Takes, starts, fills in and signs off the review, revoking the client (a follow-up with its grant), with an addendum. */
async function signedOff(write: WriteContext, reviewerId: string, reviewId: string, clientId: string): Promise<void> {
  const version = async () =>
    (await db.review.findUniqueOrThrow({ where: { id: reviewId }, select: { version: true } })).version;
  await assignReviewer(write, reviewId, reviewerId);
  await startReview(write, reviewId);
  await saveReview(write, reviewId, await version(), {
    meetingDate: "2019-03-01",
    attendees: "The contract suite",
    notes: "",
    findings: "",
    checklist: Object.fromEntries(CHECKLIST_ITEMS.map(([key]) => [key, { answer: "YES", comment: "" }])),
    decisions: { [clientId]: { decision: "REVOKE", reason: "No longer used" } },
  });
  await signOffReview(write, reviewId, await version());
  await addAddendum(write, reviewId, { text: "Corrected after sign-off." });
}
