// The records the hostile-input suite attacks, made through the app's own services (authorised and
// audited like any other write) in the test process, against the started server's database. Most
// are made fresh for each attempt, so one accepted value never leaves the next attempt nothing to do.
import { randomUUID } from "node:crypto";
import { db } from "@/lib/db/client";
import type { Actor, Role } from "@/lib/authz/policy";
import type { WriteContext } from "@/lib/audit/authorized-write";
import { EMPTY_API_INPUT } from "@/lib/apis/schemas";
import { createApi } from "@/lib/apis/create-api";
import { createClient } from "@/lib/clients/create-client";
import { EMPTY_CLIENT_INPUT } from "@/lib/clients/schemas";
import { reportIncident } from "@/lib/incidents/report-incident";
import { openCampaign } from "@/lib/reviews/open-campaign";
import { addApiToCampaign } from "@/lib/reviews/add-to-campaign";
import { saveReview, startReview } from "@/lib/reviews/save-review";
import { signOffReview } from "@/lib/reviews/sign-off-review";
import { CHECKLIST_ITEMS } from "@/lib/reviews/schemas";
import { addReviewFollowUp } from "@/lib/reviews/add-review-follow-up";
import { createDocument } from "@/lib/documents/create-document";
import { addDocumentVersion } from "@/lib/documents/add-version";
import { recordTrainingSession } from "@/lib/training/record-session";
import { startChecklist } from "@/lib/acquisitions/start-checklist";
import { saveAnswers } from "@/lib/acquisitions/save-answers";
import { ingestAuthEvents } from "@/lib/events/ingest-events";
import { createUser } from "@/lib/users/create-user";
import { createServiceAccount } from "@/lib/tokens/create-service-account";
import { createToken } from "@/lib/tokens/create-token";
import { createTrafficSource } from "@/lib/traffic/create-source";
import { ingestTraffic } from "@/lib/traffic/ingest-traffic";
import { JSON_MAPPING } from "@/lib/testing/json-mapping";
import type { TFieldMapping } from "@/lib/traffic/field-mapping";
import type { Profile } from "@/lib/traffic/schemas";
import { tokenActor } from "@/lib/testing/actors";
import { scopesOffered } from "@/lib/authz/policy";
import { daysFromTodayInput, todayInput } from "@/lib/input/date-input";
import { attachDescription } from "@/lib/openapi-scan/attach-description";
import { requestTriage } from "@/lib/openapi-scan/triage";

export const DEMO_PASSWORD = "ApiLedger-demo-1";
export const PEOPLE = {
  admin: "admin@example.com",
  owner: "owner@example.com",
  manager: "manager@example.com",
  auditor: "auditor@example.com",
} as const;
export type Person = keyof typeof PEOPLE;

const SYSTEM: Actor = { kind: "system", id: null, email: "hostile-suite@apiledger" };
const unique = () => randomUUID().slice(0, 8);
const yesterday = () => new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
const lastWeekAt = () => new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 16);

const PUBLIC_SIGNUP = {
  openapi: "3.0.3",
  info: { title: "Sign-up", version: "1" },
  paths: { "/signup": { post: { responses: { "201": { description: "Created" } } } } },
};

export type Fixtures = Awaited<ReturnType<typeof makeFixtures>>;

export async function makeFixtures() {
  const people = Object.fromEntries(
    await Promise.all(
      Object.entries(PEOPLE).map(async ([key, email]) => {
        const u = await db.user.findUniqueOrThrow({
          where: { email },
          select: { id: true, email: true, role: true, teamId: true },
        });
        return [key, { ...u, role: u.role as Role }];
      }),
    ),
  ) as Record<Person, { id: string; email: string; role: Role; teamId: string | null }>;
  const as = (who: Person): WriteContext => ({ actor: { kind: "user", ...people[who] }, ip: "hostile-suite" });
  const system: WriteContext = { actor: SYSTEM, ip: "hostile-suite" };
  const payments = people.owner.teamId!;
  const identity = (await db.team.findFirstOrThrow({ where: { name: "Identity & Access" }, select: { id: true } })).id;

  const apiInput = (name: string) => ({
    ...EMPTY_API_INPUT,
    name,
    purpose: "Made by the hostile-input suite.",
    teamId: payments,
    ownerId: people.owner.id,
    lifecycle: "ACTIVE" as const,
    modifiesData: "yes" as const,
    readsNonPublic: "yes" as const,
  });
  const newApi = async () => (await createApi(system, apiInput(`Hostile target ${unique()}`))).id;
  const api = await newApi();
  const newClient = async (apiId = api) =>
    (await createClient(system, apiId, { ...EMPTY_CLIENT_INPUT, name: `client-${unique()}` })).id;
  const client = await newClient();

  const { id: campaign } = await openCampaign(system, { quarter: "2019-Q1", extraApiIds: [] });
  /** A started review of a fresh Payments API, assigned to the Payments manager (not its owner). */
  const newReview = async () => {
    const apiId = await newApi();
    await newClient(apiId);
    const name = (await db.api.findUniqueOrThrow({ where: { id: apiId }, select: { name: true } })).name;
    const { reviewId } = await addApiToCampaign(system, campaign, { apiName: name });
    await startReview(as("manager"), reviewId);
    return reviewId;
  };
  const reviewVersion = async (id: string) =>
    (await db.review.findUniqueOrThrow({ where: { id }, select: { version: true } })).version;
  const signedOffReview = async () => {
    const id = await newReview();
    const snapshot = JSON.parse(
      (await db.review.findUniqueOrThrow({ where: { id }, select: { snapshot: true } })).snapshot,
    ) as { id: string }[];
    const checklist = Object.fromEntries(CHECKLIST_ITEMS.map(([key]) => [key, { answer: "YES", comment: "" }]));
    const decisions = Object.fromEntries(snapshot.map((c) => [c.id, { decision: "KEEP", reason: "" }]));
    await saveReview(as("manager"), id, await reviewVersion(id), {
      meetingDate: "",
      attendees: "",
      notes: "",
      findings: "",
      checklist,
      decisions,
    });
    await signOffReview(as("manager"), id, await reviewVersion(id));
    return id;
  };
  const review = await newReview();
  const newFollowUp = async () =>
    (
      await addReviewFollowUp(as("manager"), review, {
        description: "Follow up",
        ownerId: people.manager.id,
        dueOn: todayInput(),
      })
    ).id;

  const newIncident = async () =>
    (
      await reportIncident(as("admin"), {
        title: `Incident ${unique()}`,
        type: "OTHER",
        severity: "LOW",
        detectedAt: lastWeekAt(),
        reportedAt: lastWeekAt(),
        reportedBy: "The suite",
        description: "Made by the hostile-input suite.",
        apiIds: [api],
        affectedClients: "",
        rootCause: "",
        lessonsLearned: "",
      })
    ).id;
  const incident = await newIncident();

  const newDocument = async () =>
    (await createDocument(as("manager"), { kind: "OTHER", title: `Document ${unique()}`, description: "" })).id;
  const document = await newDocument();
  /** A draft uploaded by the manager, so the admin may approve it. */
  const newDraft = async () =>
    (
      await addDocumentVersion(
        as("manager"),
        document,
        {
          label: "",
          changeNote: "",
          body: "Text of the policy.",
          effectiveDate: yesterday(),
          nextReviewDate: "2099-01-01",
        },
        null,
      )
    ).id;

  /** A fresh Payments API whose attached description has one public sign-up write: a finding to triage. */
  const finding = { rule: "unauthenticated-write", pointer: "/paths/~1signup/post" };
  const newFindingApi = async () => {
    const apiId = await newApi();
    await attachDescription(system, apiId, JSON.stringify(PUBLIC_SIGNUP), { kind: "api" });
    return apiId;
  };
  /** What the owner sends to ask for that finding to be accepted, naming the Payments manager. */
  const triageInput = (reason: string) => ({
    ...finding,
    kind: "ACCEPTED_RISK",
    reason,
    approverId: people.manager.id,
    expiresOn: daysFromTodayInput(30),
  });
  /** A triage the owner asked for, awaiting the manager's decision. */
  const newTriage = async () => {
    const apiId = await newFindingApi();
    const { id } = await requestTriage(as("owner"), apiId, triageInput("Sign-up is public by design."));
    return { apiId, id };
  };

  const training = (
    await recordTrainingSession(as("manager"), {
      topic: `Training ${unique()}`,
      heldOn: yesterday(),
      trainer: "Trainer",
      durationMinutes: 60,
      isApiSecurity: true,
      notes: "",
      materialsId: "",
      attendeeIds: [people.owner.id],
    })
  ).id;

  /** A checklist requested by the owner for the manager to review, every question answered with evidence. */
  const newChecklist = async () => {
    const { id } = await startChecklist(as("owner"), {
      vendor: "Vendor",
      product: `Product ${unique()}`,
      description: "",
      requestedOn: yesterday(),
      reviewerId: people.manager.id,
    });
    const answers = await db.acquisitionAnswer.findMany({ where: { checklistId: id }, select: { position: true } });
    const version = (await db.acquisitionChecklist.findUniqueOrThrow({ where: { id }, select: { version: true } }))
      .version;
    await saveAnswers(as("owner"), id, version, {
      answers: answers.map((a) => ({ position: a.position, answer: "YES", evidence: "Seen." })),
    });
    return id;
  };
  const checklistVersion = async (id: string) =>
    (await db.acquisitionChecklist.findUniqueOrThrow({ where: { id }, select: { version: true } })).version;
  const checklist = await newChecklist();
  const question = (await db.acquisitionQuestion.findFirstOrThrow({ where: { isActive: true }, select: { id: true } }))
    .id;

  /** An open failed-authentication alert on the suite's API (more failures than the default threshold). */
  const newAlert = async () => {
    const source = `10.${Math.floor(Math.random() * 200)}.${Math.floor(Math.random() * 200)}.${Math.floor(Math.random() * 200)}`;
    const at = new Date(Date.now() - 60_000).toISOString();
    await ingestAuthEvents(
      as("admin"),
      Array.from({ length: 12 }, () => ({ time: at, api, outcome: "authn_failure", sourceIp: source })),
    );
    return (await db.authAlert.findFirstOrThrow({ where: { apiId: api, keyValue: source }, select: { id: true } })).id;
  };

  const newUser = async () =>
    (
      await createUser(as("admin"), {
        email: `user-${unique()}@example.com`,
        name: "Suite user",
        role: "AUDITOR",
        teamId: "",
      })
    ).id;
  const user = await newUser();
  const serviceAccount = (
    await createServiceAccount(as("admin"), { name: `svc-${unique()}`, role: "SYSTEM_OWNER", teamId: payments })
  ).id;
  const newOwnToken = async () =>
    (
      await createToken(as("admin"), null, {
        name: `t-${unique()}`,
        scopes: ["inventory:read"],
        teamId: "",
        expiresInDays: 30,
      })
    ).id;
  /** A traffic source of the payments team, named for its profile; strict unless said. */
  const source = (profile: Profile, more: { lenient?: boolean; apiId?: string; mapping?: TFieldMapping } = {}) =>
    createTrafficSource(as("admin"), {
      name: `${profile}-${unique()}`,
      profile,
      lenient: more.lenient ?? false,
      teamId: payments,
      apiId: more.apiId ?? api,
      ...(more.mapping ? { mapping: more.mapping } : {}),
    });
  // Strict sources in front of the fixture API (an unreadable record is refused with its reason): a
  // gateway's NGINX log, an API Gateway through a Firehose delivery stream, an OpenTelemetry Collector.
  const trafficToken = (await source("nginx")).secret;
  const firehoseToken = (await source("aws")).secret;
  const otlpToken = (await source("otlp")).secret;
  // An "any JSON" source in front of the fixture API, read through a field mapping.
  const jsonSource = (await source("json", { lenient: true, mapping: JSON_MAPPING })).id;
  // A lenient source with no API of its own: what it reports to an unknown host is a discovered API.
  const discoverySource = await tokenActor((await source("nginx", { lenient: true, apiId: "" })).secret);
  /** A new discovered API (calls to a host no rule routes), its id. */
  const newDiscovered = async () => {
    const host = `shadow-${unique()}.internal.example`;
    const call = { time: new Date(Date.now() - 1000).toISOString(), request_method: "GET", host, uri: "/v1/orders/1" };
    await ingestTraffic({ actor: discoverySource }, () => [call]);
    return (await db.discoveredApi.findFirstOrThrow({ where: { host }, select: { id: true } })).id;
  };
  /** A bearer token of `who` with every scope their role can use. */
  const tokenFor = async (who: Person) =>
    (
      await createToken(as(who), null, {
        name: `suite-${unique()}`,
        scopes: scopesOffered(people[who].role),
        teamId: "",
        expiresInDays: 30,
      })
    ).secret;

  return {
    people,
    teams: { payments, identity },
    api,
    client,
    campaign,
    review,
    incident,
    document,
    training,
    checklist,
    question,
    user,
    serviceAccount,
    trafficToken,
    otlpToken,
    firehoseToken,
    jsonSource,
    newDiscovered,
    apiInput,
    newApi,
    newClient,
    newReview,
    reviewVersion,
    signedOffReview,
    newFollowUp,
    newIncident,
    newDraft,
    newChecklist,
    checklistVersion,
    newAlert,
    newFindingApi,
    triageInput,
    newTriage,
    newUser,
    newOwnToken,
    tokenFor,
    apiVersion: async (id: string) =>
      (await db.api.findUniqueOrThrow({ where: { id }, select: { version: true } })).version,
    clientVersion: async (id: string) =>
      (await db.apiClient.findUniqueOrThrow({ where: { id }, select: { version: true } })).version,
    incidentVersion: async (id: string) =>
      (await db.incident.findUniqueOrThrow({ where: { id }, select: { version: true } })).version,
    trainingVersion: async (id: string) =>
      (await db.trainingSession.findUniqueOrThrow({ where: { id }, select: { version: true } })).version,
    triageVersion: async (id: string) =>
      (await db.findingTriage.findUniqueOrThrow({ where: { id }, select: { version: true } })).version,
    followUpVersion: async (id: string) =>
      (await db.followUp.findUniqueOrThrow({ where: { id }, select: { version: true } })).version,
  };
}
