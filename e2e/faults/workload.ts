// The fault suite's clients: streams of idempotent creates, If-Match updates, event batches and incident
// reports, each
// operation retried with the same Idempotency-Key until the server acknowledges it, as a careful
// client does across crashes and outages. Every answer is recorded (when, status, Retry-After) so the
// checks can compare what was acknowledged with what the database holds afterwards.
import { AppSession } from "@/lib/testing/app-client";

/** One response: when the request was sent, when it was answered, with what. */
export type Answer = { sent: number; at: number; status: number; write: boolean };
type Reply = { status: number; headers: Headers; body: Record<string, unknown> };

export type Ledger = {
  creates: { key: string; name: string; id: string; body: string }[];
  updates: { apiId: string; n: number; purpose: string }[];
  batches: { key: string; principal: string; batchId: string; size: number; body: string }[];
  incidents: { key: string; title: string; id: string; body: string }[];
};

const RETRY_MS = 150;
export const BATCH_SIZE = 500;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class Client {
  readonly answers: Answer[] = [];
  /** Requests that got no answer: the server was down or died while answering. */
  unanswered = 0;
  /** Anything a fault must never produce: a 500, a 503 without Retry-After, a lost idempotent result. */
  readonly violations: string[] = [];
  replays = 0;

  constructor(
    private readonly base: string,
    private readonly token: string,
  ) {}

  async call(
    method: string,
    path: string,
    options: { body?: string; headers?: Record<string, string> } = {},
  ): Promise<Reply | null> {
    const write = method !== "GET";
    const sent = Date.now();
    try {
      const response = await fetch(this.base + path, {
        method,
        body: options.body,
        headers: {
          authorization: `Bearer ${this.token}`,
          ...(options.body ? { "content-type": "application/json" } : {}),
          ...options.headers,
        },
        signal: AbortSignal.timeout(90_000),
      });
      const text = await response.text();
      this.answers.push({ sent, at: Date.now(), status: response.status, write });
      if (response.status >= 500 && response.status !== 503)
        this.violations.push(`${method} ${path} → ${response.status}: ${text.slice(0, 300)}`);
      if (response.status === 503 && !/^\d+$/.test(response.headers.get("retry-after") ?? ""))
        this.violations.push(`${method} ${path} → 503 without Retry-After`);
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(text) as Record<string, unknown>;
      } catch {
        // not JSON (e.g. an empty body)
      }
      return { status: response.status, headers: response.headers, body };
    } catch {
      this.unanswered++;
      return null;
    }
  }

  /** Sends until acknowledged (`ok`), retrying the same request on no answer and on 503. */
  async untilAcked(
    method: string,
    path: string,
    options: { body?: string; headers?: Record<string, string> },
    ok: number,
  ): Promise<Reply> {
    for (;;) {
      const reply = await this.call(method, path, options);
      if (reply?.status === ok) {
        if (reply.headers.get("idempotent-replayed") === "true") this.replays++;
        return reply;
      }
      if (reply && reply.status !== 503)
        throw new Error(`${method} ${path} → ${reply.status} ${JSON.stringify(reply.body).slice(0, 300)}`);
      await sleep(RETRY_MS);
    }
  }
}

export type Fixture = { run: string; teamId: string; ownerId: string; apiIds: string[] };

export function apiBody(f: Fixture, name: string, purpose = "Fault-suite API"): string {
  return JSON.stringify({
    name,
    purpose,
    businessFunction: "",
    teamId: f.teamId,
    ownerId: f.ownerId,
    lifecycle: "ACTIVE",
    environments: [],
    exposure: "INTERNAL",
    partnerLinkPrivate: false,
    readsNonPublic: "no",
    modifiesData: "yes",
    sensitivity: "OFFICIAL",
    dataCategories: [],
    authMethods: ["MTLS"],
    authzModel: "RBAC",
    authzRoles: [],
    centrallyLogged: "yes",
    loggingDestination: "SIEM",
    docsUrl: "",
    repoUrl: "",
    openapiUrl: "",
    tags: [],
  });
}

/** Runs the three streams until `stopped()`; each finishes the operation it is in first. */
export async function runStreams(client: Client, f: Fixture, ledger: Ledger, stopped: () => boolean): Promise<void> {
  const creates = async (worker: number) => {
    for (let i = 0; !stopped(); i++) {
      const key = `${f.run}-c${worker}-${i}`;
      const name = `fault-${key}`;
      const body = apiBody(f, name);
      const reply = await client.untilAcked("POST", "/api/v1/apis", { body, headers: { "idempotency-key": key } }, 201);
      ledger.creates.push({ key, name, id: String(reply.body.id), body });
    }
  };
  const updates = async (apiId: string, name: string) => {
    for (let n = 1; !stopped(); n++) {
      const read = await client.untilAcked("GET", `/api/v1/apis/${apiId}`, {}, 200);
      const purpose = `update ${n}`;
      // One writer per API and the same key on every retry: a 412 here would mean a retry of a write
      // that had committed was applied again instead of answered from the first result.
      await client.untilAcked(
        "PUT",
        `/api/v1/apis/${apiId}`,
        {
          body: apiBody(f, name, purpose),
          headers: { "if-match": read.headers.get("etag") ?? "", "idempotency-key": `${f.run}-u-${apiId}-${n}` },
        },
        200,
      );
      ledger.updates.push({ apiId, n, purpose });
    }
  };
  const batches = async () => {
    for (let n = 0; !stopped(); n++) {
      const key = `${f.run}-e${n}`;
      const principal = `fb-${key}`;
      const now = Date.now();
      const events = Array.from({ length: BATCH_SIZE }, (_, k) => ({
        time: new Date(now - 60_000 + k).toISOString(),
        api: f.apiIds[k % f.apiIds.length],
        clientId: k % 10 === 0 ? `intruder-${n % 3}` : `client-${k % 7}`,
        principal,
        outcome: k % 10 === 0 ? "authn_failure" : "success",
        sourceIp: `10.${n % 250}.${Math.floor(k / 250)}.${k % 250}`,
        method: "GET",
        route: "/v1/things",
      }));
      const body = JSON.stringify(events);
      const reply = await client.untilAcked(
        "POST",
        "/api/v1/events/auth",
        { body, headers: { "idempotency-key": key } },
        201,
      );
      ledger.batches.push({ key, principal, batchId: String(reply.body.batchId), size: BATCH_SIZE, body });
    }
  };
  const incidents = async () => {
    for (let n = 0; !stopped(); n++) {
      const key = `${f.run}-i${n}`;
      const title = `fault-${key}`;
      const at = new Date(Date.now() - 60_000).toISOString();
      const body = JSON.stringify({
        title,
        type: "UNAUTHORISED_ACCESS_ATTEMPT",
        severity: "LOW",
        detectedAt: at,
        reportedAt: at,
        reportedBy: "fault suite",
        description: "Repeated failed sign-ins from one client, blocked at the gateway.",
        apiIds: [f.apiIds[n % f.apiIds.length]],
        affectedClients: "",
        rootCause: "",
        lessonsLearned: "",
      });
      const reply = await client.untilAcked(
        "POST",
        "/api/v1/incidents",
        { body, headers: { "idempotency-key": key } },
        201,
      );
      ledger.incidents.push({ key, title, id: String(reply.body.id), body });
      // Incidents come slower than the other writes: one every quarter second or so.
      await sleep(250);
    }
  };
  await Promise.all([
    creates(0),
    creates(1),
    ...f.apiIds.map((id, i) => updates(id, `fault-${f.run}-target-${i}`)),
    batches(),
    incidents(),
  ]);
}

/** Every acknowledged create, batch and incident sent again with its key: the first result must come back, nothing new stored. */
export async function replayAll(client: Client, ledger: Ledger): Promise<string[]> {
  const mismatches: string[] = [];
  for (const c of ledger.creates) {
    const reply = await client.untilAcked(
      "POST",
      "/api/v1/apis",
      { body: c.body, headers: { "idempotency-key": c.key } },
      201,
    );
    if (reply.body.id !== c.id || reply.headers.get("idempotent-replayed") !== "true")
      mismatches.push(`create ${c.key}: ${JSON.stringify(reply.body)} instead of ${c.id}`);
  }
  for (const b of ledger.batches) {
    const reply = await client.untilAcked(
      "POST",
      "/api/v1/events/auth",
      { body: b.body, headers: { "idempotency-key": b.key } },
      201,
    );
    if (reply.body.batchId !== b.batchId || reply.headers.get("idempotent-replayed") !== "true")
      mismatches.push(`batch ${b.key}: ${JSON.stringify(reply.body)} instead of ${b.batchId}`);
  }
  for (const i of ledger.incidents) {
    const reply = await client.untilAcked(
      "POST",
      "/api/v1/incidents",
      { body: i.body, headers: { "idempotency-key": i.key } },
      201,
    );
    if (reply.body.id !== i.id || reply.headers.get("idempotent-replayed") !== "true")
      mismatches.push(`incident ${i.key}: ${JSON.stringify(reply.body)} instead of ${i.id}`);
  }
  return mismatches;
}

/** Signs in through next-auth's credentials endpoint, as the login form does; returns the Cookie header. */
export async function signIn(base: string, email: string, password: string): Promise<string> {
  const session = new AppSession(base);
  const response = await session.signIn(email, password);
  if (!session.isSignedIn()) throw new Error(`Sign-in as ${email} failed (${response.status})`);
  return session.cookieHeader();
}
