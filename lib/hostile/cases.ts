// Every way text gets into ApiLedger over HTTP — each server action, each REST write route, and the
// sign-in form — as a call with a hostile string in every free-text slot, and how to read back what was
// stored. The suite (lib/hostile/hostile-input.ts) fails when the build has an entry point this table
// does not name, or the policy an action no case exercises.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { db } from "@/lib/db/client";
import type { Permission, Actor } from "@/lib/authz/policy";
import { toEditInput } from "@/lib/apis/edit-input";
import { getApi } from "@/lib/apis/queries";
import { EMPTY_CLIENT_INPUT } from "@/lib/clients/schemas";
import { verifyPassword } from "@/lib/auth/password";
import { DEFAULT_SETTINGS } from "@/lib/settings/schemas";
import { todayInput } from "@/lib/input/date-input";
import type { Fixtures, Person } from "@/lib/hostile/fixtures";
import { encodeSegment, jsonString } from "@/lib/hostile/values";
import { blobStore } from "@/lib/storage/blob-store";
import { text as streamText } from "node:stream/consumers";
import { buildZip } from "@/lib/testing/forged-zip";
import { otlpJson, otlpProtobuf } from "@/lib/testing/otlp";
import { JSON_MAPPING } from "@/lib/testing/json-mapping";
import { awsRecord, firehoseBody } from "@/lib/rest-contract/contract-fixtures";

/** The webhook URL slot's text follows this base (a receiver path, where a hostile tail would go). */
const WEBHOOK_BASE = "https://hooks.agency.example/apiledger/";

const SUITE: Actor = { kind: "system", id: null, email: "hostile-suite@apiledger" };

export type Call =
  | { kind: "action"; file: string; name: string; args: unknown[] }
  | {
      kind: "rest";
      method: string;
      route: string;
      json?: unknown;
      body?: string | Uint8Array<ArrayBuffer>;
      contentType?: string;
      headers?: Record<string, string>;
      /** A token other than the person's own (a traffic source's). */
      token?: string;
    };

export type Case = {
  /** "action lib/apis/actions.ts#createApiAction" or "rest POST /api/v1/apis/[id]". */
  entry: string;
  /** The policy actions the call exercises (null: none — a read, or a check before any permission). */
  permission: Permission | Permission[] | null;
  as: Person;
  /** The call with `text` in every free-text slot. Absent when the entry takes no text. */
  call?: (text: string, fx: Fixtures) => Promise<Call>;
  /** After an accepted call: what was stored in each slot, to compare with what was sent. */
  readBack?: (fx: Fixtures, result: unknown, sent: string) => Promise<string[]>;
  /** The call with `id` in its record-id argument or path parameter. */
  withId?: (id: string, fx: Fixtures) => Promise<Call>;
  /** Text travels in a multipart field or file: a client can only send well-formed text there. */
  form?: boolean;
  /**
   * How accepted text is stored: "nfc" (typed text, normalised), "exact" (machine records such as
   * authentication events, kept as sent), "document" (a file kept as written: only what cannot be
   * stored is refused), "url" (an address: printable ASCII only, kept as sent; any other text is refused).
   */
  stores?: "nfc" | "exact" | "document" | "url";
  /** Which slot the text goes in, when an entry has a case for each of several (a name and a URL). */
  slot?: string;
  /**
   * An accepted call ends the person's sessions (a password change ends all of them): the suite signs
   * in again with the password this returns before the next call.
   */
  signInAgainWith?: () => string;
  /** The call needs a recent sign-in (creating a token): the suite signs the person in afresh first. */
  signInFirst?: true;
  /**
   * A call without arguments that the person's own state refuses (new recovery codes for someone without a
   * second factor; a sign-in step their open session is past): refused with this message, not a fault.
   */
  refusedWith?: RegExp;
};

/** The newest event's client and user: stored as sent, cut to their 200-character columns. */
const lastEventCaller = async (fx: Fixtures, _result: unknown, sent: string) => {
  const e = await db.authEvent.findFirstOrThrow({ where: { apiId: fx.api }, orderBy: { id: "desc" } });
  return [e.clientId, e.principal].map((v) => (v === sent.slice(0, 200) ? sent : v));
};

const action = (file: string, name: string, args: unknown[]): Call => ({ kind: "action", file, name, args });
const rest = (
  method: string,
  route: string,
  extra: Omit<Extract<Call, { kind: "rest" }>, "kind" | "method" | "route"> = {},
): Call => ({ kind: "rest", method, route, ...extra });
const fileForm = (
  field: string,
  name: string,
  content: string | Uint8Array<ArrayBuffer>,
  type: string,
  extra: Record<string, string> = {},
) => {
  const form = new FormData();
  form.set(field, new File([content], name, { type }));
  for (const [k, v] of Object.entries(extra)) form.set(k, v);
  return form;
};
/** The discovered API the last ignore case made (the action answers nothing to read it back by). */
let lastDiscovered = "";
const resultId = (result: unknown) =>
  (result as { id?: string; reviewId?: string }).id ?? (result as { reviewId: string }).reviewId;
let serial = 0;
/** A user name no call has used yet (each accepted SCIM call creates a person). */
const unique = () => `${Date.now().toString(36)}${(serial++).toString(36)}`;
const lastWeekAt = () => new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 16);
const yesterday = () => new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

const incidentInput = (text: string, fx: Fixtures) => ({
  title: text,
  type: "OTHER",
  severity: "LOW",
  detectedAt: lastWeekAt(),
  reportedAt: lastWeekAt(),
  reportedBy: text,
  description: text,
  apiIds: [fx.api],
  affectedClients: text,
  rootCause: text,
  lessonsLearned: text,
});
const incidentText = async (id: string) => {
  const i = await db.incident.findUniqueOrThrow({ where: { id } });
  return [i.title, i.reportedBy, i.description, i.affectedClients, i.rootCause, i.lessonsLearned];
};
const apiText = async (id: string) => {
  const a = await db.api.findUniqueOrThrow({ where: { id } });
  return [a.name, a.purpose, a.businessFunction];
};
const apiWithText = (text: string, fx: Fixtures) => ({ ...fx.apiInput(text), purpose: text, businessFunction: text });
const clientInput = (text: string) => ({ ...EMPTY_CLIENT_INPUT, name: text, notes: text });
const clientText = async (id: string) => {
  const c = await db.apiClient.findUniqueOrThrow({ where: { id } });
  return [c.name, c.notes];
};
const trainingInput = (text: string, fx: Fixtures) => ({
  topic: text,
  heldOn: yesterday(),
  trainer: text,
  durationMinutes: 60,
  isApiSecurity: true,
  notes: text,
  materialsId: "",
  attendeeIds: [fx.people.owner.id],
});
const trainingText = async (id: string) => {
  const t = await db.trainingSession.findUniqueOrThrow({ where: { id } });
  return [t.topic, t.trainer, t.notes];
};
const description = (text: string) =>
  JSON.stringify({
    openapi: "3.0.3",
    info: { title: "Hostile description", version: "1", description: text },
    paths: {},
  });
const catalogYaml = (text: string, fx: Fixtures) =>
  `apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata:\n  name: hostile-entity\n  title: ${jsonString(`Backstage ${text.slice(0, 60)}`)}\n  description: ${jsonString(text)}\n  annotations:\n    apiledger.io/business-function: ${jsonString(text)}\n    apiledger.io/logging-destination: ${jsonString(text)}\nspec:\n  type: openapi\n  lifecycle: production\n  owner: group:default/payments\n  definition: "openapi: 3.0.3"\n`.replace(
    "group:default/payments",
    `group:default/${fx.teams.payments}`,
  );
/** The catalog as a repository's ZIP bundle: its definition a file beside it, with the text in it too. */
const catalogBundle = async (text: string, fx: Fixtures) =>
  new Uint8Array(
    await buildZip([
      {
        name: "catalog-info.yaml",
        data: catalogYaml(text, fx).replace('definition: "openapi: 3.0.3"', "definition:\n    $text: ./openapi.json"),
      },
      { name: "openapi.json", data: description(text) },
    ]),
  );
/** What a Backstage import stored from the text: the description and the two free-text annotations. */
const backstageImported = async (sent: string) => {
  const api = await db.api.findFirstOrThrow({ where: { name: `Backstage ${sent.slice(0, 60)}`.normalize("NFC") } });
  return [api.purpose, api.businessFunction, api.loggingDestination];
};
const ismCatalog = (text: string) =>
  fs
    .readFileSync(path.resolve(import.meta.dirname, "../../../shared/data/ism/ISM_catalog-2025.12.json"), "utf8")
    .replace(
      "Authentication and authorisation of clients is performed",
      `${jsonString(text).slice(1, -1)} Authentication and authorisation of clients is performed`,
    );

const A = (file: string, name: string) => `action ${file}#${name}`;

/** A Backstage dry run of the form `form` builds: it writes nothing, so there is nothing to read back. */
const catalogPreview = (form: (text: string, fx: Fixtures) => FormData | Promise<FormData>): Case => ({
  entry: A("lib/backstage/actions.ts", "previewBackstageCatalogAction"),
  permission: null,
  as: "admin",
  form: true,
  call: async (text, fx) => action("lib/backstage/actions.ts", "previewBackstageCatalogAction", [await form(text, fx)]),
  readBack: async () => [],
});

export const CASES: Case[] = [
  // Inventory
  {
    entry: A("lib/apis/actions.ts", "createApiAction"),
    permission: ["api:create", "api:assign-owner"],
    as: "admin",
    call: async (text, fx) => action("lib/apis/actions.ts", "createApiAction", [apiWithText(text, fx)]),
    readBack: (_fx, result) => apiText(resultId(result)),
  },
  {
    entry: A("lib/apis/actions.ts", "updateApiAction"),
    permission: "api:update",
    as: "admin",
    call: async (text, fx) => {
      const id = await fx.newApi();
      return action("lib/apis/actions.ts", "updateApiAction", [
        id,
        await fx.apiVersion(id),
        { ...toEditInput(await getApi(SUITE, id)), name: text, purpose: text, businessFunction: text },
      ]);
    },
    readBack: async (_fx, result) => apiText(resultId(result)),
    withId: async (id) => action("lib/apis/actions.ts", "updateApiAction", [id, 1, {}]),
  },
  {
    entry: A("lib/apis/actions.ts", "deleteApiAction"),
    permission: "api:delete",
    as: "admin",
    withId: async (id) => action("lib/apis/actions.ts", "deleteApiAction", [id]),
  },
  {
    entry: "rest POST /api/v1/apis",
    permission: "api:create",
    as: "admin",
    call: async (text, fx) => rest("POST", "/api/v1/apis", { json: apiWithText(text, fx) }),
    readBack: (_fx, result) => apiText(resultId(result)),
  },
  {
    entry: "rest PUT /api/v1/apis/[id]",
    permission: ["api:update", "api:move-team"],
    as: "admin",
    // Moved to another team (and its owner cleared) in the same write.
    call: async (text, fx) => {
      const id = await fx.newApi();
      return rest("PUT", `/api/v1/apis/${id}`, {
        json: {
          ...toEditInput(await getApi(SUITE, id)),
          teamId: fx.teams.identity,
          ownerId: "",
          name: text,
          purpose: text,
          businessFunction: text,
        },
        headers: { "if-match": `"${await fx.apiVersion(id)}"` },
      });
    },
    readBack: (_fx, result) => apiText(resultId(result)),
    withId: async (id) =>
      rest("PUT", `/api/v1/apis/${encodeSegment(id)}`, { json: {}, headers: { "if-match": '"1"' } }),
  },
  {
    entry: "rest DELETE /api/v1/apis/[id]",
    permission: "api:delete",
    as: "admin",
    withId: async (id) => rest("DELETE", `/api/v1/apis/${encodeSegment(id)}`),
  },
  {
    entry: A("lib/openapi-scan/actions.ts", "attachDescriptionAction"),
    permission: "api:update",
    as: "admin",
    stores: "document",
    call: async (text, fx) =>
      action("lib/openapi-scan/actions.ts", "attachDescriptionAction", [
        fx.api,
        fileForm("file", "openapi.json", description(text), "application/json"),
      ]),
    readBack: async (fx) => [JSON.parse(await storedText(fx.api)).info.description],
    withId: async (id) =>
      action("lib/openapi-scan/actions.ts", "attachDescriptionAction", [
        id,
        fileForm("file", "openapi.json", description("x"), "application/json"),
      ]),
  },
  {
    entry: A("lib/openapi-scan/actions.ts", "removeDescriptionAction"),
    permission: "api:update",
    as: "admin",
    withId: async (id) => action("lib/openapi-scan/actions.ts", "removeDescriptionAction", [id]),
  },
  {
    entry: A("lib/openapi-scan/actions.ts", "requestTriageAction"),
    permission: "finding:triage",
    as: "owner",
    call: async (text, fx) =>
      action("lib/openapi-scan/actions.ts", "requestTriageAction", [await fx.newFindingApi(), fx.triageInput(text)]),
    readBack: async (_fx, result) => [
      (await db.findingTriage.findUniqueOrThrow({ where: { id: resultId(result) } })).reason,
    ],
    withId: async (id, fx) =>
      action("lib/openapi-scan/actions.ts", "requestTriageAction", [id, fx.triageInput("Public by design.")]),
  },
  {
    entry: A("lib/openapi-scan/actions.ts", "decideTriageAction"),
    permission: "finding:approve",
    as: "manager",
    call: async (text, fx) => {
      const { id } = await fx.newTriage();
      return action("lib/openapi-scan/actions.ts", "decideTriageAction", [
        id,
        await fx.triageVersion(id),
        { decision: "REJECT", note: text },
      ]);
    },
    readBack: async (_fx, result) => [
      (await db.findingTriage.findUniqueOrThrow({ where: { id: resultId(result) } })).decisionNote,
    ],
    withId: async (id) =>
      action("lib/openapi-scan/actions.ts", "decideTriageAction", [id, 1, { decision: "APPROVE", note: "" }]),
  },
  {
    entry: A("lib/openapi-scan/actions.ts", "withdrawTriageAction"),
    permission: "finding:triage",
    as: "owner",
    call: async (text, fx) => {
      const { id } = await fx.newTriage();
      return action("lib/openapi-scan/actions.ts", "withdrawTriageAction", [
        id,
        await fx.triageVersion(id),
        { note: text },
      ]);
    },
    readBack: async (_fx, result) => [
      (await db.findingTriage.findUniqueOrThrow({ where: { id: resultId(result) } })).decisionNote,
    ],
    withId: async (id) =>
      action("lib/openapi-scan/actions.ts", "withdrawTriageAction", [id, 1, { note: "No longer needed." }]),
  },
  {
    entry: "rest PUT /api/v1/apis/[id]/openapi",
    permission: "api:update",
    as: "admin",
    stores: "document",
    call: async (text, fx) =>
      rest("PUT", `/api/v1/apis/${fx.api}/openapi`, { body: description(text), contentType: "application/json" }),
    readBack: async (fx) => [JSON.parse(await storedText(fx.api)).info.description],
    withId: async (id) =>
      rest("PUT", `/api/v1/apis/${encodeSegment(id)}/openapi`, {
        body: description("x"),
        contentType: "application/json",
      }),
  },
  {
    entry: "rest DELETE /api/v1/apis/[id]/openapi",
    permission: "api:update",
    as: "admin",
    withId: async (id) => rest("DELETE", `/api/v1/apis/${encodeSegment(id)}/openapi`),
  },
  {
    entry: A("lib/events/actions.ts", "setAlertRuleAction"),
    permission: "api:update",
    as: "admin",
    call: async (text, fx) =>
      action("lib/events/actions.ts", "setAlertRuleAction", [fx.api, { threshold: text, windowMinutes: 5 }]),
    withId: async (id) =>
      action("lib/events/actions.ts", "setAlertRuleAction", [id, { threshold: 5, windowMinutes: 5 }]),
  },
  // Clients and grants
  {
    entry: A("lib/clients/actions.ts", "createClientAction"),
    permission: "client:manage",
    as: "admin",
    call: async (text, fx) => action("lib/clients/actions.ts", "createClientAction", [fx.api, clientInput(text)]),
    readBack: (_fx, result) => clientText(resultId(result)),
    withId: async (id) => action("lib/clients/actions.ts", "createClientAction", [id, clientInput("x")]),
  },
  {
    entry: A("lib/clients/actions.ts", "updateClientAction"),
    permission: "client:manage",
    as: "admin",
    call: async (text, fx) => {
      const id = await fx.newClient();
      return action("lib/clients/actions.ts", "updateClientAction", [
        fx.api,
        id,
        await fx.clientVersion(id),
        clientInput(text),
      ]);
    },
    readBack: (_fx, result) => clientText(resultId(result)),
    withId: async (id, fx) => action("lib/clients/actions.ts", "updateClientAction", [fx.api, id, 1, clientInput("x")]),
  },
  {
    entry: A("lib/clients/actions.ts", "deleteClientAction"),
    permission: "client:manage",
    as: "admin",
    withId: async (id, fx) => action("lib/clients/actions.ts", "deleteClientAction", [fx.api, id]),
  },
  {
    entry: "rest POST /api/v1/apis/[id]/clients",
    permission: "client:manage",
    as: "admin",
    call: async (text, fx) => rest("POST", `/api/v1/apis/${fx.api}/clients`, { json: clientInput(text) }),
    readBack: (_fx, result) => clientText(resultId(result)),
    withId: async (id) => rest("POST", `/api/v1/apis/${encodeSegment(id)}/clients`, { json: clientInput("x") }),
  },
  {
    entry: "rest PUT /api/v1/apis/[id]/clients/[clientId]",
    permission: "client:manage",
    as: "admin",
    call: async (text, fx) => {
      const id = await fx.newClient();
      return rest("PUT", `/api/v1/apis/${fx.api}/clients/${id}`, {
        json: clientInput(text),
        headers: { "if-match": `"${await fx.clientVersion(id)}"` },
      });
    },
    readBack: (_fx, result) => clientText(resultId(result)),
    withId: async (id, fx) =>
      rest("PUT", `/api/v1/apis/${fx.api}/clients/${encodeSegment(id)}`, {
        json: clientInput("x"),
        headers: { "if-match": '"1"' },
      }),
  },
  {
    entry: "rest DELETE /api/v1/apis/[id]/clients/[clientId]",
    permission: "client:manage",
    as: "admin",
    withId: async (id, fx) => rest("DELETE", `/api/v1/apis/${fx.api}/clients/${encodeSegment(id)}`),
  },
  {
    entry: A("lib/clients/actions.ts", "previewClientImportAction"),
    permission: "client:manage",
    as: "admin",
    form: true,
    call: async (text, fx) =>
      action("lib/clients/actions.ts", "previewClientImportAction", [
        fileForm("file", "clients.csv", clientCsv(text, fx), "text/csv"),
      ]),
    readBack: async () => [],
  },
  {
    entry: A("lib/clients/actions.ts", "importClientsAction"),
    permission: "client:manage",
    as: "admin",
    form: true,
    call: async (text, fx) =>
      action("lib/clients/actions.ts", "importClientsAction", [
        fileForm("file", "clients.csv", clientCsv(text, fx), "text/csv"),
      ]),
    readBack: async (fx, _result, sent) => {
      const c = await db.apiClient.findFirstOrThrow({
        where: { apiId: fx.api, notes: { startsWith: sent.normalize("NFC").slice(0, 100) } },
        orderBy: { createdAt: "desc" },
      });
      return [c.notes];
    },
  },
  // Backstage
  catalogPreview((text, fx) => fileForm("file", "catalog.yaml", catalogYaml(text, fx), "application/yaml")),
  catalogPreview(async (text, fx) => fileForm("file", "catalog.zip", await catalogBundle(text, fx), "application/zip")),
  // The import's choices for entities without an ApiLedger team or a sensitivity.
  catalogPreview((text, fx) =>
    fileForm("file", "catalog.yaml", catalogYaml("Chosen team", fx), "application/yaml", {
      defaultTeamId: text,
      defaultSensitivity: "OFFICIAL",
    }),
  ),
  {
    entry: A("lib/backstage/actions.ts", "importBackstageCatalogAction"),
    permission: "api:create",
    as: "admin",
    form: true,
    call: async (text, fx) =>
      action("lib/backstage/actions.ts", "importBackstageCatalogAction", [
        fileForm("file", "catalog.yaml", catalogYaml(text, fx), "application/yaml"),
      ]),
    readBack: async (_fx, _result, sent) => backstageImported(sent),
  },
  {
    entry: "rest POST /api/v1/backstage/import",
    permission: "api:create",
    as: "admin",
    call: async (text, fx) =>
      rest("POST", "/api/v1/backstage/import", { body: catalogYaml(text, fx), contentType: "application/yaml" }),
    readBack: async (_fx, _result, sent) => backstageImported(sent),
  },
  {
    entry: "rest POST /api/v1/backstage/import",
    permission: ["api:create", "api:update"],
    as: "admin",
    call: async (text, fx) =>
      rest("POST", "/api/v1/backstage/import", { body: await catalogBundle(text, fx), contentType: "application/zip" }),
    readBack: async (_fx, _result, sent) => backstageImported(sent),
  },
  // Authentication events
  {
    entry: "rest POST /api/v1/events/auth",
    permission: "event:ingest",
    as: "admin",
    stores: "exact",
    call: async (text, fx) =>
      rest("POST", "/api/v1/events/auth", {
        json: [
          {
            time: new Date(Date.now() - 1000).toISOString(),
            api: fx.api,
            outcome: "success",
            clientId: text,
            principal: text,
            route: text,
          },
        ],
      }),
    readBack: async (fx) => {
      const e = await db.authEvent.findFirstOrThrow({ where: { apiId: fx.api }, orderBy: { id: "desc" } });
      return [e.clientId, e.principal, e.route];
    },
  },
  // A gateway's own records, through a strict traffic source: what the profile cannot read is refused
  // with the record's index and reason; what it reads is stored as sent, cut to its column (200
  // characters for a client id, as ZAuthEvent bounds it) rather than losing the record.
  {
    entry: "rest POST /api/v1/traffic",
    permission: "event:ingest",
    as: "admin",
    stores: "exact",
    call: async (text, fx) => ({
      ...rest("POST", "/api/v1/traffic", {
        json: [
          {
            time: new Date(Date.now() - 1000).toISOString(),
            request_method: "GET",
            host: "ledger.internal.example",
            uri: "/v1/entries",
            status: 200,
            client_id: text,
            remote_user: text,
          },
        ],
      }),
      token: fx.trafficToken,
    }),
    readBack: lastEventCaller,
  },
  // API Gateway access logs through a Firehose delivery stream (a strict source): base64 records of JSON lines.
  {
    entry: "rest POST /api/v1/traffic/firehose",
    permission: "event:ingest",
    as: "admin",
    stores: "exact",
    call: async (text, fx) => ({
      ...rest("POST", "/api/v1/traffic/firehose", {
        json: firehoseBody([{ ...awsRecord(), apiKeyId: text, user: text }]),
      }),
      token: fx.firehoseToken,
    }),
    readBack: lastEventCaller,
  },
  // OpenTelemetry through a strict source: OTLP/JSON logs, and protobuf spans as the SDK's own serializer
  // writes them (protobuf strings are UTF-8: like a form, they cannot carry a lone surrogate).
  {
    entry: "rest POST /api/v1/otlp/v1/logs",
    permission: "event:ingest",
    as: "admin",
    stores: "exact",
    call: async (text, fx) => ({
      ...rest("POST", "/api/v1/otlp/v1/logs", { json: otlpJson("logs", [{ client: text, user: text }]) }),
      token: fx.otlpToken,
    }),
    readBack: lastEventCaller,
  },
  {
    entry: "rest POST /api/v1/otlp/v1/traces",
    permission: "event:ingest",
    as: "admin",
    stores: "exact",
    form: true,
    call: async (text, fx) => ({
      ...rest("POST", "/api/v1/otlp/v1/traces", {
        body: otlpProtobuf("traces", [{ client: text, user: text }]),
        contentType: "application/x-protobuf",
      }),
      token: fx.otlpToken,
    }),
    readBack: lastEventCaller,
  },
  {
    entry: A("lib/events/actions.ts", "acknowledgeAlertAction"),
    permission: "alert:acknowledge",
    as: "admin",
    call: async (text, fx) => {
      const alert = await fx.newAlert();
      lastAlert = alert;
      return action("lib/events/actions.ts", "acknowledgeAlertAction", [alert, { note: text }]);
    },
    readBack: async () => [(await db.authAlert.findUniqueOrThrow({ where: { id: lastAlert } })).note ?? ""],
    withId: async (id) => action("lib/events/actions.ts", "acknowledgeAlertAction", [id, { note: "x" }]),
  },
  // Incidents
  {
    entry: A("lib/incidents/actions.ts", "reportIncidentAction"),
    permission: "incident:report",
    as: "admin",
    call: async (text, fx) => action("lib/incidents/actions.ts", "reportIncidentAction", [incidentInput(text, fx)]),
    readBack: (_fx, result) => incidentText(resultId(result)),
  },
  {
    entry: A("lib/incidents/actions.ts", "updateIncidentAction"),
    permission: "incident:handle",
    as: "admin",
    call: async (text, fx) => {
      const id = await fx.newIncident();
      return action("lib/incidents/actions.ts", "updateIncidentAction", [
        id,
        await fx.incidentVersion(id),
        incidentInput(text, fx),
      ]);
    },
    readBack: (_fx, result) => incidentText(resultId(result)),
    withId: async (id, fx) =>
      action("lib/incidents/actions.ts", "updateIncidentAction", [id, 1, incidentInput("x", fx)]),
  },
  {
    entry: A("lib/incidents/actions.ts", "advanceIncidentAction"),
    permission: "incident:handle",
    as: "admin",
    // The time it happened is a field: hostile text in it is refused like any malformed time.
    call: async (text, fx) =>
      action("lib/incidents/actions.ts", "advanceIncidentAction", [fx.incident, 1, { at: text }]),
    withId: async (id) => action("lib/incidents/actions.ts", "advanceIncidentAction", [id, 1, { at: "" }]),
  },
  {
    entry: A("lib/incidents/actions.ts", "addIncidentEntryAction"),
    permission: "incident:handle",
    as: "admin",
    call: async (text, fx) =>
      action("lib/incidents/actions.ts", "addIncidentEntryAction", [
        fx.incident,
        { kind: "notification", at: lastWeekAt(), recipient: text, text },
      ]),
    readBack: async (fx) => {
      const e = await db.incidentEntry.findFirstOrThrow({
        where: { incidentId: fx.incident, kind: "notification" },
        orderBy: { createdAt: "desc" },
      });
      return [e.recipient, e.text];
    },
    withId: async (id) =>
      action("lib/incidents/actions.ts", "addIncidentEntryAction", [
        id,
        { kind: "note", at: lastWeekAt(), recipient: "", text: "x" },
      ]),
  },
  {
    entry: A("lib/incidents/actions.ts", "addIncidentFollowUpAction"),
    permission: "incident:handle",
    as: "admin",
    call: async (text, fx) =>
      action("lib/incidents/actions.ts", "addIncidentFollowUpAction", [
        fx.incident,
        { description: text, ownerId: fx.people.manager.id, dueOn: todayInput() },
      ]),
    readBack: async (_fx, result) => [
      (await db.followUp.findUniqueOrThrow({ where: { id: resultId(result) } })).description,
    ],
    withId: async (id, fx) =>
      action("lib/incidents/actions.ts", "addIncidentFollowUpAction", [
        id,
        { description: "x", ownerId: fx.people.manager.id, dueOn: todayInput() },
      ]),
  },
  {
    entry: "rest POST /api/v1/incidents",
    permission: "incident:report",
    as: "admin",
    call: async (text, fx) => rest("POST", "/api/v1/incidents", { json: incidentInput(text, fx) }),
    readBack: (_fx, result) => incidentText(resultId(result)),
  },
  {
    entry: "rest PUT /api/v1/incidents/[id]",
    permission: "incident:handle",
    as: "admin",
    call: async (text, fx) => {
      const id = await fx.newIncident();
      return rest("PUT", `/api/v1/incidents/${id}`, {
        json: incidentInput(text, fx),
        headers: { "if-match": `"${await fx.incidentVersion(id)}"` },
      });
    },
    readBack: (_fx, result) => incidentText(resultId(result)),
    withId: async (id, fx) =>
      rest("PUT", `/api/v1/incidents/${encodeSegment(id)}`, {
        json: incidentInput("x", fx),
        headers: { "if-match": '"1"' },
      }),
  },
  {
    entry: "rest POST /api/v1/incidents/[id]/entries",
    permission: "incident:handle",
    as: "admin",
    call: async (text, fx) =>
      rest("POST", `/api/v1/incidents/${fx.incident}/entries`, {
        json: { kind: "notification", at: lastWeekAt(), recipient: text, text },
      }),
    readBack: async (fx) => {
      const e = await db.incidentEntry.findFirstOrThrow({
        where: { incidentId: fx.incident, kind: "notification" },
        orderBy: { createdAt: "desc" },
      });
      return [e.recipient, e.text];
    },
    withId: async (id) =>
      rest("POST", `/api/v1/incidents/${encodeSegment(id)}/entries`, {
        json: { kind: "note", at: lastWeekAt(), recipient: "", text: "x" },
      }),
  },
  {
    entry: "rest POST /api/v1/incidents/[id]/advance",
    permission: "incident:handle",
    as: "admin",
    // The time is the only text: hostile values are refused (a field error) or not a time at all.
    call: async (text, fx) => {
      const id = await fx.newIncident();
      return rest("POST", `/api/v1/incidents/${id}/advance`, {
        headers: { "if-match": `"${await fx.incidentVersion(id)}"` },
        json: { at: text },
      });
    },
    withId: async (id) =>
      rest("POST", `/api/v1/incidents/${encodeSegment(id)}/advance`, { headers: { "if-match": '"1"' } }),
  },
  // Access reviews
  {
    entry: A("lib/reviews/actions.ts", "openCampaignAction"),
    permission: "review:manage-campaign",
    as: "admin",
    call: async (text) => action("lib/reviews/actions.ts", "openCampaignAction", [{ quarter: text, extraApiIds: [] }]),
  },
  {
    entry: A("lib/reviews/actions.ts", "addApiToCampaignAction"),
    permission: "review:manage-campaign",
    as: "admin",
    call: async (text, fx) =>
      action("lib/reviews/actions.ts", "addApiToCampaignAction", [fx.campaign, { apiName: text }]),
    withId: async (id) => action("lib/reviews/actions.ts", "addApiToCampaignAction", [id, { apiName: "x" }]),
  },
  {
    entry: A("lib/reviews/actions.ts", "assignReviewerAction"),
    permission: "review:manage-campaign",
    as: "admin",
    withId: async (id, fx) => action("lib/reviews/actions.ts", "assignReviewerAction", [id, fx.people.manager.id]),
  },
  {
    entry: A("lib/reviews/actions.ts", "assignUnassignedReviewsAction"),
    permission: "review:manage-campaign",
    as: "admin",
    withId: async (id, fx) =>
      action("lib/reviews/actions.ts", "assignUnassignedReviewsAction", [id, fx.people.manager.id]),
  },
  {
    entry: A("lib/reviews/actions.ts", "startReviewAction"),
    permission: "review:edit",
    as: "manager",
    withId: async (id) => action("lib/reviews/actions.ts", "startReviewAction", [id]),
  },
  {
    entry: A("lib/reviews/actions.ts", "saveReviewAction"),
    permission: "review:edit",
    as: "manager",
    call: async (text, fx) =>
      action("lib/reviews/actions.ts", "saveReviewAction", [
        fx.review,
        await fx.reviewVersion(fx.review),
        { meetingDate: "", attendees: text, notes: text, findings: text, checklist: {}, decisions: {} },
      ]),
    readBack: async (fx) => {
      const r = await db.review.findUniqueOrThrow({ where: { id: fx.review } });
      return [r.attendees, r.notes, r.findings];
    },
    withId: async (id) =>
      action("lib/reviews/actions.ts", "saveReviewAction", [
        id,
        1,
        { meetingDate: "", attendees: "", notes: "", findings: "", checklist: {}, decisions: {} },
      ]),
  },
  {
    entry: A("lib/reviews/actions.ts", "signOffReviewAction"),
    permission: "review:edit",
    as: "manager",
    withId: async (id) => action("lib/reviews/actions.ts", "signOffReviewAction", [id, 1]),
  },
  {
    entry: A("lib/reviews/actions.ts", "addReviewFollowUpAction"),
    permission: "review:edit",
    as: "manager",
    call: async (text, fx) =>
      action("lib/reviews/actions.ts", "addReviewFollowUpAction", [
        fx.review,
        { description: text, ownerId: fx.people.manager.id, dueOn: todayInput() },
      ]),
    readBack: async (_fx, result) => [
      (await db.followUp.findUniqueOrThrow({ where: { id: resultId(result) } })).description,
    ],
    withId: async (id, fx) =>
      action("lib/reviews/actions.ts", "addReviewFollowUpAction", [
        id,
        { description: "x", ownerId: fx.people.manager.id, dueOn: todayInput() },
      ]),
  },
  {
    entry: A("lib/follow-ups/actions.ts", "updateFollowUpAction"),
    permission: "follow-up:update",
    as: "manager",
    call: async (text, fx) => {
      const id = await fx.newFollowUp();
      lastFollowUp = id;
      return action("lib/follow-ups/actions.ts", "updateFollowUpAction", [
        id,
        await fx.followUpVersion(id),
        { status: "DONE", note: text },
      ]);
    },
    readBack: async () => [(await db.followUp.findUniqueOrThrow({ where: { id: lastFollowUp } })).completedNote],
    withId: async (id) =>
      action("lib/follow-ups/actions.ts", "updateFollowUpAction", [id, 1, { status: "DONE", note: "x" }]),
  },
  {
    entry: A("lib/reviews/actions.ts", "addAddendumAction"),
    permission: "review:edit",
    as: "manager",
    call: async (text, fx) => {
      lastReview = await fx.signedOffReview();
      return action("lib/reviews/actions.ts", "addAddendumAction", [lastReview, { text }]);
    },
    readBack: async () => [(await db.reviewAddendum.findFirstOrThrow({ where: { reviewId: lastReview } })).text],
    withId: async (id) => action("lib/reviews/actions.ts", "addAddendumAction", [id, { text: "x" }]),
  },
  // Policies and procedures
  {
    entry: A("lib/documents/actions.ts", "createDocumentAction"),
    permission: "document:manage",
    as: "manager",
    call: async (text) =>
      action("lib/documents/actions.ts", "createDocumentAction", [{ kind: "OTHER", title: text, description: text }]),
    readBack: async (_fx, result) => {
      const d = await db.document.findUniqueOrThrow({ where: { id: resultId(result) } });
      return [d.title, d.description];
    },
  },
  {
    entry: A("lib/documents/actions.ts", "addDocumentVersionAction"),
    permission: "document:manage",
    as: "manager",
    form: true,
    call: async (text, fx) => {
      const form = new FormData();
      for (const [k, v] of Object.entries({
        label: text,
        changeNote: text,
        body: text,
        effectiveDate: yesterday(),
        nextReviewDate: "2099-01-01",
      }))
        form.set(k, v);
      return action("lib/documents/actions.ts", "addDocumentVersionAction", [fx.document, form]);
    },
    readBack: async (_fx, result) => {
      const v = await db.documentVersion.findUniqueOrThrow({ where: { id: resultId(result) } });
      return [v.label, v.changeNote, v.body ?? ""];
    },
    withId: async (id) => action("lib/documents/actions.ts", "addDocumentVersionAction", [id, new FormData()]),
  },
  {
    entry: A("lib/documents/actions.ts", "approveDocumentVersionAction"),
    permission: "document:approve",
    as: "admin",
    call: async (text, fx) =>
      action("lib/documents/actions.ts", "approveDocumentVersionAction", [await fx.newDraft(), { approvedOn: text }]),
    withId: async (id) =>
      action("lib/documents/actions.ts", "approveDocumentVersionAction", [id, { approvedOn: todayInput() }]),
  },
  {
    entry: A("lib/documents/actions.ts", "withdrawDocumentVersionAction"),
    permission: "document:manage",
    as: "manager",
    withId: async (id) => action("lib/documents/actions.ts", "withdrawDocumentVersionAction", [id]),
  },
  // Training
  {
    entry: A("lib/training/actions.ts", "recordTrainingSessionAction"),
    permission: "training:manage",
    as: "manager",
    call: async (text, fx) =>
      action("lib/training/actions.ts", "recordTrainingSessionAction", [trainingInput(text, fx)]),
    readBack: (_fx, result) => trainingText(resultId(result)),
  },
  {
    entry: A("lib/training/actions.ts", "updateTrainingSessionAction"),
    permission: "training:manage",
    as: "manager",
    call: async (text, fx) =>
      action("lib/training/actions.ts", "updateTrainingSessionAction", [
        fx.training,
        await fx.trainingVersion(fx.training),
        trainingInput(text, fx),
      ]),
    readBack: (fx) => trainingText(fx.training),
    withId: async (id, fx) =>
      action("lib/training/actions.ts", "updateTrainingSessionAction", [id, 1, trainingInput("x", fx)]),
  },
  {
    entry: A("lib/training/actions.ts", "previewAttendanceImportAction"),
    permission: "training:manage",
    as: "manager",
    form: true,
    call: async (text, fx) =>
      action("lib/training/actions.ts", "previewAttendanceImportAction", [
        fileForm("file", "attendance.csv", attendanceCsv(text, fx), "text/csv"),
      ]),
    readBack: async () => [],
  },
  {
    entry: A("lib/training/actions.ts", "importAttendanceAction"),
    permission: "training:manage",
    as: "manager",
    form: true,
    call: async (text, fx) =>
      action("lib/training/actions.ts", "importAttendanceAction", [
        fileForm("file", "attendance.csv", attendanceCsv(text, fx), "text/csv"),
      ]),
    // The topic carries a random suffix (each import makes a new session).
    readBack: async (_fx, _result, sent) => [
      (
        await db.trainingSession.findFirstOrThrow({
          where: { topic: { startsWith: sent.normalize("NFC").slice(0, 100) } },
          orderBy: { createdAt: "desc" },
        })
      ).topic.slice(0, sent.normalize("NFC").length),
    ],
  },
  // Acquisitions
  {
    entry: A("lib/acquisitions/actions.ts", "startChecklistAction"),
    permission: "acquisition:request",
    as: "owner",
    call: async (text, fx) =>
      action("lib/acquisitions/actions.ts", "startChecklistAction", [
        { vendor: text, product: text, description: text, requestedOn: yesterday(), reviewerId: fx.people.manager.id },
      ]),
    readBack: async (_fx, result) => {
      const c = await db.acquisitionChecklist.findUniqueOrThrow({ where: { id: resultId(result) } });
      return [c.vendor, c.product, c.description];
    },
  },
  {
    entry: A("lib/acquisitions/actions.ts", "saveAnswersAction"),
    permission: "acquisition:edit",
    as: "owner",
    call: async (text, fx) =>
      action("lib/acquisitions/actions.ts", "saveAnswersAction", [
        fx.checklist,
        await fx.checklistVersion(fx.checklist),
        { answers: [{ position: 0, answer: "YES", evidence: text }] },
      ]),
    readBack: async (fx) => [
      (await db.acquisitionAnswer.findFirstOrThrow({ where: { checklistId: fx.checklist, position: 0 } })).evidence,
    ],
    withId: async (id) => action("lib/acquisitions/actions.ts", "saveAnswersAction", [id, 1, { answers: [] }]),
  },
  {
    entry: A("lib/acquisitions/actions.ts", "decideChecklistAction"),
    permission: "acquisition:decide",
    as: "manager",
    call: async (text, fx) => {
      lastChecklist = await fx.newChecklist();
      return action("lib/acquisitions/actions.ts", "decideChecklistAction", [
        lastChecklist,
        await fx.checklistVersion(lastChecklist),
        { outcome: "APPROVED_WITH_CONDITIONS", conditions: text },
      ]);
    },
    readBack: async () => [
      (await db.acquisitionChecklist.findUniqueOrThrow({ where: { id: lastChecklist } })).conditions,
    ],
    withId: async (id) =>
      action("lib/acquisitions/actions.ts", "decideChecklistAction", [id, 1, { outcome: "APPROVED", conditions: "" }]),
  },
  {
    entry: A("lib/acquisitions/actions.ts", "addQuestionAction"),
    permission: "acquisition:manage-questions",
    as: "admin",
    call: async (text) => action("lib/acquisitions/actions.ts", "addQuestionAction", [{ text, help: text }]),
    readBack: async (_fx, result) => {
      const q = await db.acquisitionQuestion.findUniqueOrThrow({ where: { id: resultId(result) } });
      return [q.text, q.help];
    },
  },
  {
    entry: A("lib/acquisitions/actions.ts", "updateQuestionAction"),
    permission: "acquisition:manage-questions",
    as: "admin",
    call: async (text, fx) =>
      action("lib/acquisitions/actions.ts", "updateQuestionAction", [fx.question, { text, help: text }, true]),
    readBack: async (fx) => {
      const q = await db.acquisitionQuestion.findUniqueOrThrow({ where: { id: fx.question } });
      return [q.text, q.help];
    },
    withId: async (id) =>
      action("lib/acquisitions/actions.ts", "updateQuestionAction", [id, { text: "x", help: "" }, true]),
  },
  // People, teams, tokens, settings
  {
    entry: A("lib/teams/actions.ts", "createTeamAction"),
    permission: "team:manage",
    as: "admin",
    call: async (text) => action("lib/teams/actions.ts", "createTeamAction", [{ name: text, description: text }]),
    readBack: async (_fx, result) => {
      const t = await db.team.findUniqueOrThrow({ where: { id: resultId(result) } });
      return [t.name, t.description];
    },
  },
  {
    entry: A("lib/users/actions.ts", "createUserAction"),
    permission: "user:manage",
    as: "admin",
    call: async (text) =>
      action("lib/users/actions.ts", "createUserAction", [
        {
          email: `hostile-${Math.random().toString(36).slice(2)}@example.com`,
          name: text,
          role: "AUDITOR",
          teamId: "",
        },
      ]),
    readBack: async (_fx, result) => [(await db.user.findUniqueOrThrow({ where: { id: resultId(result) } })).name],
  },
  {
    entry: A("lib/users/actions.ts", "updateUserAction"),
    permission: "user:manage",
    as: "admin",
    call: async (text, fx) =>
      action("lib/users/actions.ts", "updateUserAction", [
        fx.user,
        { name: text, role: "AUDITOR", teamId: "", isActive: true },
      ]),
    readBack: async (fx) => [(await db.user.findUniqueOrThrow({ where: { id: fx.user } })).name],
    withId: async (id) =>
      action("lib/users/actions.ts", "updateUserAction", [
        id,
        { name: "x", role: "AUDITOR", teamId: "", isActive: true },
      ]),
  },
  {
    entry: A("lib/users/actions.ts", "resetPasswordAction"),
    permission: "user:manage",
    as: "admin",
    withId: async (id) => action("lib/users/actions.ts", "resetPasswordAction", [id]),
  },
  {
    // Passwords are secrets: checked (NUL and lone surrogates refused) but never normalised.
    entry: A("lib/users/actions.ts", "changeOwnPasswordAction"),
    permission: "account:change-password",
    as: "auditor",
    stores: "exact",
    call: async (text) =>
      action("lib/users/actions.ts", "changeOwnPasswordAction", [
        { current: currentPassword, next: `${text}-Aa1!`, confirm: `${text}-Aa1!` },
      ]),
    readBack: async (fx, _result, sent) => {
      const user = await db.user.findUniqueOrThrow({ where: { id: fx.people.auditor.id } });
      const ok = await verifyPassword(`${sent}-Aa1!`, user.passwordHash);
      if (ok) currentPassword = `${sent}-Aa1!`;
      return [ok ? sent : "(the new password does not verify)"];
    },
    signInAgainWith: () => currentPassword,
  },
  {
    entry: A("lib/tokens/actions.ts", "createTokenAction"),
    permission: "token:manage-own",
    as: "admin",
    signInFirst: true,
    call: async (text) =>
      action("lib/tokens/actions.ts", "createTokenAction", [
        null,
        { name: text, scopes: ["inventory:read"], teamId: "", expiresInDays: 30 },
      ]),
    readBack: async (_fx, result) => [(await db.apiToken.findUniqueOrThrow({ where: { id: resultId(result) } })).name],
    withId: async (id) =>
      action("lib/tokens/actions.ts", "createTokenAction", [
        id,
        { name: "x", scopes: ["inventory:read"], teamId: "", expiresInDays: 30 },
      ]),
  },
  {
    entry: A("lib/tokens/actions.ts", "revokeTokenAction"),
    permission: ["token:manage-own", "token:revoke-any"],
    as: "admin",
    withId: async (id) => action("lib/tokens/actions.ts", "revokeTokenAction", [id]),
  },
  {
    entry: A("lib/auth/session-actions.ts", "endSessionAction"),
    permission: ["session:manage-own", "session:manage-any"],
    as: "admin",
    withId: async (id) => action("lib/auth/session-actions.ts", "endSessionAction", [id]),
  },
  {
    entry: A("lib/auth/session-actions.ts", "endSessionsOfPersonAction"),
    permission: "session:manage-any",
    as: "admin",
    withId: async (id) => action("lib/auth/session-actions.ts", "endSessionsOfPersonAction", [id]),
  },
  {
    // Every hostile value is a wrong password: refused with the field's error (and counted toward the lock-out).
    entry: A("lib/auth/session-actions.ts", "reauthenticateAction"),
    permission: "session:manage-own",
    as: "manager",
    call: async (text) => action("lib/auth/session-actions.ts", "reauthenticateAction", [text]),
  },
  // Second factors. Codes are checked for their shape before anything else, so hostile text is a field error.
  { entry: A("lib/auth/mfa-actions.ts", "startTotpEnrolmentAction"), permission: "mfa:manage-own", as: "manager" },
  { entry: A("lib/auth/mfa-actions.ts", "startPasskeyEnrolmentAction"), permission: "mfa:manage-own", as: "manager" },
  {
    entry: A("lib/auth/mfa-actions.ts", "confirmTotpEnrolmentAction"),
    permission: "mfa:manage-own",
    as: "manager",
    call: async (text) => action("lib/auth/mfa-actions.ts", "confirmTotpEnrolmentAction", [text, text]),
  },
  {
    entry: A("lib/auth/mfa-actions.ts", "confirmPasskeyEnrolmentAction"),
    permission: "mfa:manage-own",
    as: "manager",
    call: async (text) =>
      action("lib/auth/mfa-actions.ts", "confirmPasskeyEnrolmentAction", [{ id: text, type: "public-key" }, text]),
  },
  {
    entry: A("lib/auth/mfa-actions.ts", "regenerateRecoveryCodesAction"),
    permission: "mfa:manage-own",
    as: "manager",
    signInFirst: true,
    refusedWith: /Add an authenticator app or a passkey first/,
  },
  {
    entry: A("lib/auth/mfa-actions.ts", "removeFactorAction"),
    permission: "mfa:manage-own",
    as: "manager",
    signInFirst: true,
    withId: async (id) => action("lib/auth/mfa-actions.ts", "removeFactorAction", [id]),
  },
  {
    entry: A("lib/auth/mfa-actions.ts", "resetFactorsAction"),
    permission: "mfa:reset-any",
    as: "admin",
    withId: async (id) => action("lib/auth/mfa-actions.ts", "resetFactorsAction", [id]),
  },
  {
    entry: A("lib/auth/mfa-actions.ts", "passkeySignInOptionsAction"),
    permission: null,
    as: "manager",
    refusedWith: /sign-in step is not open/,
  },
  {
    entry: A("lib/auth/mfa-actions.ts", "giveSecondFactorAction"),
    permission: "auth:record-sign-in",
    as: "manager",
    call: async (text) =>
      action("lib/auth/mfa-actions.ts", "giveSecondFactorAction", [{ kind: "recovery", code: text }]),
  },
  // SCIM provisioning (an admin's token with every scope, scim:provision among them).
  {
    entry: "rest POST /api/scim/v2/[...path]",
    permission: "user:provision",
    as: "admin",
    call: async (text) =>
      rest("POST", "/api/scim/v2/Users", {
        json: {
          schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
          userName: `scim.${unique()}@agency.example`,
          externalId: text,
          displayName: text,
          name: { formatted: text },
        },
        contentType: "application/scim+json",
      }),
    readBack: async (_fx, result) => {
      const user = await db.user.findUniqueOrThrow({ where: { id: resultId(result) } });
      return [user.name, user.scimExternalId ?? ""];
    },
  },
  {
    entry: "rest PUT /api/scim/v2/[...path]",
    permission: "user:provision",
    as: "admin",
    withId: async (id) =>
      rest("PUT", `/api/scim/v2/Users/${encodeSegment(id)}`, {
        json: { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "x@agency.example" },
        contentType: "application/scim+json",
      }),
  },
  {
    entry: "rest PATCH /api/scim/v2/[...path]",
    permission: "user:provision",
    as: "admin",
    withId: async (id) =>
      rest("PATCH", `/api/scim/v2/Groups/${encodeSegment(id)}`, {
        json: {
          schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
          Operations: [{ op: "replace", path: "displayName", value: "x" }],
        },
        contentType: "application/scim+json",
      }),
  },
  {
    entry: "rest DELETE /api/scim/v2/[...path]",
    permission: "user:provision",
    as: "admin",
    withId: async (id) => rest("DELETE", `/api/scim/v2/Users/${encodeSegment(id)}`),
  },
  {
    entry: A("lib/tokens/actions.ts", "createServiceAccountAction"),
    permission: "token:manage-service",
    as: "admin",
    call: async (text, fx) =>
      action("lib/tokens/actions.ts", "createServiceAccountAction", [
        { name: text, role: "AUDITOR", teamId: fx.teams.payments },
      ]),
    readBack: async (_fx, result) => [(await db.user.findUniqueOrThrow({ where: { id: resultId(result) } })).name],
  },
  {
    entry: A("lib/traffic/actions.ts", "createTrafficSourceAction"),
    permission: "traffic:manage",
    as: "admin",
    signInFirst: true,
    call: async (text, fx) =>
      action("lib/traffic/actions.ts", "createTrafficSourceAction", [
        { name: text, profile: "kong", lenient: true, teamId: fx.teams.payments, apiId: "" },
      ]),
    readBack: async (_fx, result) => [
      (await db.trafficSource.findUniqueOrThrow({ where: { id: resultId(result) } })).name,
    ],
  },
  // Routing rules: the host and prefix follow strict rules (refused with a field error); the gateway route
  // is the gateway's own name, kept as typed.
  {
    entry: A("lib/traffic/actions.ts", "createTrafficRouteAction"),
    permission: "traffic:manage",
    as: "admin",
    call: async (text, fx) =>
      action("lib/traffic/actions.ts", "createTrafficRouteAction", [
        { teamId: fx.teams.payments, apiId: fx.api, host: "", pathPrefix: "", gatewayRoute: text },
      ]),
    readBack: async (_fx, result) => [
      (await db.trafficRoute.findUniqueOrThrow({ where: { id: resultId(result) } })).gatewayRoute,
    ],
  },
  {
    entry: A("lib/traffic/actions.ts", "deleteTrafficRouteAction"),
    permission: "traffic:manage",
    as: "admin",
    withId: async (id) => action("lib/traffic/actions.ts", "deleteTrafficRouteAction", [id]),
  },
  {
    entry: A("lib/traffic/actions.ts", "routeDiscoveredApiAction"),
    permission: "traffic:manage",
    as: "admin",
    withId: async (id, fx) => action("lib/traffic/actions.ts", "routeDiscoveredApiAction", [id, fx.api]),
  },
  {
    entry: A("lib/traffic/actions.ts", "ignoreDiscoveredApiAction"),
    permission: "traffic:manage",
    as: "admin",
    call: async (text, fx) => {
      lastDiscovered = await fx.newDiscovered();
      return action("lib/traffic/actions.ts", "ignoreDiscoveredApiAction", [lastDiscovered, { reason: text }]);
    },
    readBack: async () => [(await db.discoveredApi.findUniqueOrThrow({ where: { id: lastDiscovered } })).reason],
  },
  // An "any JSON" source's field mapping: a path expression is refused when it holds text no record's key
  // could be matched by safely, else kept as typed; the preview reads a pasted sample and stores nothing.
  {
    entry: A("lib/traffic/actions.ts", "updateSourceMappingAction"),
    permission: "traffic:manage",
    as: "admin",
    call: async (text, fx) =>
      action("lib/traffic/actions.ts", "updateSourceMappingAction", [
        fx.jsonSource,
        { ...JSON_MAPPING, clientId: text },
      ]),
    readBack: async (fx) => {
      const source = await db.trafficSource.findUniqueOrThrow({ where: { id: fx.jsonSource } });
      return [(JSON.parse(source.mapping!) as { clientId: string }).clientId];
    },
    withId: async (id) => action("lib/traffic/actions.ts", "updateSourceMappingAction", [id, JSON_MAPPING]),
  },
  // The API picker's search: typed text is only matched, never stored; a hostile team id is refused.
  {
    entry: A("lib/apis/actions.ts", "findApiChoicesAction"),
    permission: "api:read",
    as: "owner",
    call: async (text) => action("lib/apis/actions.ts", "findApiChoicesAction", [{ q: text, teamId: "" }]),
    readBack: async () => [],
    withId: async (id) => action("lib/apis/actions.ts", "findApiChoicesAction", [{ q: "", teamId: id }]),
  },
  {
    entry: A("lib/traffic/actions.ts", "previewFieldMappingAction"),
    permission: "traffic:manage",
    as: "admin",
    call: async (text) =>
      action("lib/traffic/actions.ts", "previewFieldMappingAction", [
        {
          mapping: JSON_MAPPING,
          sample: `{"ts": ${Date.now()}, "req": {"verb": "GET", "url": "/x"}, "id": "${text}"}`,
        },
      ]),
    readBack: async () => [],
  },
  {
    entry: A("lib/traffic/actions.ts", "retryQuarantineAction"),
    permission: "traffic:manage",
    as: "admin",
    withId: async (id) => action("lib/traffic/actions.ts", "retryQuarantineAction", [id]),
  },
  {
    entry: A("lib/traffic/actions.ts", "purgeQuarantineAction"),
    permission: "traffic:manage",
    as: "admin",
    withId: async (id) => action("lib/traffic/actions.ts", "purgeQuarantineAction", [id]),
  },
  {
    entry: A("lib/settings/actions.ts", "updateSettingsAction"),
    permission: "settings:manage",
    as: "admin",
    call: async (text) =>
      action("lib/settings/actions.ts", "updateSettingsAction", [{ ...DEFAULT_SETTINGS, specFetchHosts: text }]),
  },
  {
    entry: A("lib/webhooks/actions.ts", "createWebhookAction"),
    permission: "webhooks:manage",
    as: "admin",
    call: async (text) =>
      action("lib/webhooks/actions.ts", "createWebhookAction", [
        { name: text, url: "https://hooks.agency.example/apiledger", events: ["alert.raised"] },
      ]),
    readBack: async (_fx, result) => [(await db.webhook.findUniqueOrThrow({ where: { id: resultId(result) } })).name],
  },
  {
    entry: A("lib/webhooks/actions.ts", "createWebhookAction"),
    slot: "url",
    permission: "webhooks:manage",
    as: "admin",
    stores: "url",
    call: async (text) =>
      action("lib/webhooks/actions.ts", "createWebhookAction", [
        { name: "Hostile receiver", url: `${WEBHOOK_BASE}${text}`, events: ["alert.raised"] },
      ]),
    // The URL as stored, less the base: the text exactly as sent, or the whole URL when it was changed.
    readBack: async (_fx, result) => {
      const { url } = await db.webhook.findUniqueOrThrow({ where: { id: resultId(result) } });
      return [url.startsWith(WEBHOOK_BASE) ? url.slice(WEBHOOK_BASE.length) : url];
    },
  },
  {
    entry: A("lib/webhooks/actions.ts", "setWebhookActiveAction"),
    permission: "webhooks:manage",
    as: "admin",
    withId: async (id) => action("lib/webhooks/actions.ts", "setWebhookActiveAction", [id, false]),
  },
  {
    entry: A("lib/webhooks/actions.ts", "sendTestWebhookAction"),
    permission: "webhooks:manage",
    as: "admin",
    withId: async (id) => action("lib/webhooks/actions.ts", "sendTestWebhookAction", [id]),
  },
  {
    entry: A("lib/webhooks/actions.ts", "rotateWebhookSecretAction"),
    permission: "webhooks:manage",
    as: "admin",
    withId: async (id) => action("lib/webhooks/actions.ts", "rotateWebhookSecretAction", [id]),
  },
  {
    entry: A("lib/webhooks/actions.ts", "deleteWebhookAction"),
    permission: "webhooks:manage",
    as: "admin",
    withId: async (id) => action("lib/webhooks/actions.ts", "deleteWebhookAction", [id]),
  },
  { entry: A("lib/notifications/actions.ts", "markAllReadAction"), permission: "notification:read-own", as: "manager" },
  // ISM catalog
  {
    entry: A("lib/ism/actions.ts", "previewIsmCatalogAction"),
    permission: "ism:import",
    as: "admin",
    form: false,
    call: async (text) =>
      action("lib/ism/actions.ts", "previewIsmCatalogAction", [
        fileForm("catalog", "catalog.json", ismCatalog(text), "application/json"),
      ]),
    readBack: async () => [],
  },
  {
    entry: A("lib/ism/actions.ts", "importIsmCatalogAction"),
    permission: "ism:import",
    as: "admin",
    call: async (text) =>
      action("lib/ism/actions.ts", "importIsmCatalogAction", [
        fileForm("catalog", "catalog.json", ismCatalog(text), "application/json"),
      ]),
    readBack: async (_fx, _result, sent) => {
      const sha256 = createHash("sha256").update(ismCatalog(sent)).digest("hex");
      // The first statement of the file with that sentence is ISM-1818's.
      const c = await db.ismControl.findFirstOrThrow({ where: { controlId: "ism-1818", catalog: { sha256 } } });
      return [c.statement.slice(0, sent.normalize("NFC").length)];
    },
  },
  // Evidence
  {
    entry: A("lib/evidence/actions.ts", "previewEvidenceAction"),
    permission: "evidence:export",
    as: "auditor",
    call: async (text) =>
      action("lib/evidence/actions.ts", "previewEvidenceAction", [
        { period: text, controls: [], teamIds: [], apiIds: [] },
      ]),
  },
  {
    entry: A("lib/evidence/actions.ts", "requestEvidenceExportAction"),
    permission: "evidence:export",
    as: "auditor",
    call: async (text) =>
      action("lib/evidence/actions.ts", "requestEvidenceExportAction", [
        { period: text, controls: [], teamIds: [], apiIds: [] },
      ]),
  },
  { entry: A("lib/evidence/actions.ts", "listEvidenceExportsAction"), permission: null, as: "auditor" },
  {
    entry: "rest POST /api/v1/evidence/exports",
    permission: "evidence:export",
    as: "auditor",
    call: async (text) =>
      rest("POST", "/api/v1/evidence/exports", { json: { period: text, controls: [], teamIds: [text], apiIds: [] } }),
  },
];

// One-shot records made by a call, for its read-back (the suite runs cases one at a time).
let lastAlert = "";
let lastFollowUp = "";
let lastReview = "";
let lastChecklist = "";
let currentPassword = "ApiLedger-demo-1";

/** The attached description's file as stored (the test process shares the server's data folder). */
async function storedText(apiId: string): Promise<string> {
  const d = await db.apiDescription.findUniqueOrThrow({ where: { apiId } });
  return streamText(await blobStore().open(d.fileSha256));
}

function clientCsv(text: string, fx: Fixtures): string {
  const cell = (v: string) => `"${v.replace(/"/g, '""')}"`;
  return `api,client,kind,credential_type,notes\r\n${fx.api},${cell(`csv-${Math.random().toString(36).slice(2)}`)},service_account,client_certificate,${cell(text)}\r\n`;
}

function attendanceCsv(text: string, fx: Fixtures): string {
  const cell = (v: string) => `"${v.replace(/"/g, '""')}"`;
  return `email,topic,date,trainer,duration_minutes\r\n${fx.people.owner.email},${cell(`${text} ${Math.random().toString(36).slice(2)}`)},${yesterday()},Trainer,60\r\n`;
}

/** An import preview that refused the file (or rows) with messages. */
export function previewRefused(result: unknown): boolean {
  const data = result as { ok?: boolean; fileErrors?: string[]; rows?: { errors?: string[] }[] };
  return !!data && (data.ok === false || !!data.fileErrors?.length || !!data.rows?.some((r) => r.errors?.length));
}
