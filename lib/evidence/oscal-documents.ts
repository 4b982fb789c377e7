// The bundle's control evaluations as OSCAL 1.1.2: assessment results (one finding per control, with
// observations pointing at the evidence files and the reviewers' sign-offs as attestations) and a plan
// of action and milestones (every open action and every unmet control). UUIDs are derived from what
// they name, so the same data always gives the same documents.
import { createHash } from "node:crypto";
import type { ControlSummary } from "@/lib/evidence/summary";

export type OscalContext = {
  installation: string;
  appVersion: string;
  /** The time of the last change the evidence reflects (metadata last-modified, observations collected). */
  dataAsOf: string;
  period: { label: string; from: string; to: string };
  catalog: string | null;
  controls: ControlSummary[];
};
export type SignOff = { reviewId: string; api: string; quarter: string; reviewer: string; signedOffAt: string };
export type OpenItem = {
  id: string;
  title: string;
  description: string;
  owner: string | null;
  due: string | null;
  source: string;
};

/** An OpenAPI finding accepted as a risk or marked a false positive (lib/evidence/triage-tables.ts). */
export type AcceptedRisk = {
  id: string;
  apiId: string;
  api: string;
  kind: "ACCEPTED_RISK" | "FALSE_POSITIVE";
  rule: string;
  severity: string;
  pointer: string;
  finding: string;
  reason: string;
  requestedBy: { email: string; name: string } | null;
  requestedAt: string;
  approver: { email: string; name: string };
  approvedAt: string;
  approvalNote: string;
  expiresOn: string;
  /** Withdrawn, or reached its expiry, before the period's end; null while it still applied then. */
  ended: { at: string; how: "withdrawn" | "expired" } | null;
};

const OSCAL_VERSION = "1.1.2";
const REVIEWER_ROLE = "reviewer";
const NS = "urn:apiledger";

/** A name-based UUID (RFC 9562 version 5 layout over SHA-1, as OSCAL tools expect a v4/v5 form). */
export function stableUuid(...parts: string[]): string {
  const h = createHash("sha1").update(parts.join("\u0000")).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString("hex");
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

const personUuid = (ctx: OscalContext, email: string) => stableUuid(ctx.installation, "person", email);

/**
 * The document's metadata; `people` become parties and `roles` roles, so every party-uuid and role-id the
 * document names resolves (OSCAL's reference constraints, which its JSON schema cannot check).
 */
function metadata(
  ctx: OscalContext,
  title: string,
  people: { email: string; name: string }[] = [],
  roles: { id: string; title: string }[] = [],
) {
  const unique = [...new Map(people.map((p) => [p.email, p])).values()].sort((a, b) => a.email.localeCompare(b.email));
  return {
    title,
    "last-modified": ctx.dataAsOf,
    version: ctx.appVersion,
    "oscal-version": OSCAL_VERSION,
    ...(roles.length ? { roles } : {}),
    parties: [
      {
        uuid: stableUuid(ctx.installation, "party"),
        type: "organization",
        name: "ApiLedger installation",
        remarks: `Signing key fingerprint ${ctx.installation}.`,
      },
      ...unique.map((p) => ({
        uuid: personUuid(ctx, p.email),
        type: "person",
        name: p.name,
        "email-addresses": [p.email],
      })),
    ],
  };
}

/**
 * An accepted risk or false positive as an OSCAL risk: its status at the period's end
 * (deviation-approved while it applied, open again once withdrawn or expired), and its history as the
 * risk log — asked for, approved, ended — each entry naming who logged it.
 */
function acceptedRisk(ctx: OscalContext, r: AcceptedRisk) {
  const uuid = stableUuid(ctx.installation, "accepted-risk", r.id);
  const label = r.kind === "ACCEPTED_RISK" ? "Accepted risk" : "False positive";
  const loggedBy = (p: { email: string } | null) =>
    p ? { "logged-by": [{ "party-uuid": personUuid(ctx, p.email) }] } : {};
  return {
    uuid,
    title: `${label}: ${r.severity} ${r.rule} on ${r.api}`,
    description: `${r.finding} (JSON pointer ${r.pointer || "/"} of the API's OpenAPI description.)`,
    statement: `${label}, approved by ${r.approver.name} until ${r.expiresOn}: ${r.reason}`,
    props: [
      { name: "triage", ns: NS, value: r.kind === "ACCEPTED_RISK" ? "accepted-risk" : "false-positive" },
      { name: "finding-severity", ns: NS, value: r.severity },
      { name: "api-id", ns: NS, value: r.apiId },
    ],
    status: r.ended ? "open" : "deviation-approved",
    deadline: `${r.expiresOn}T00:00:00Z`,
    "risk-log": {
      entries: [
        {
          uuid: stableUuid(uuid, "requested"),
          title: "Deviation requested",
          description: r.reason,
          start: r.requestedAt,
          ...loggedBy(r.requestedBy),
          "status-change": "deviation-requested",
        },
        {
          uuid: stableUuid(uuid, "approved"),
          title: "Deviation approved",
          description: r.approvalNote || `Approved until ${r.expiresOn}.`,
          start: r.approvedAt,
          ...(r.ended ? { end: r.ended.at } : {}),
          ...loggedBy(r.approver),
          "status-change": "deviation-approved",
        },
        ...(r.ended
          ? [
              {
                uuid: stableUuid(uuid, r.ended.how),
                title: r.ended.how === "expired" ? "Deviation expired" : "Deviation withdrawn",
                description:
                  r.ended.how === "expired"
                    ? `Reached its expiry (${r.expiresOn}): the finding counts again.`
                    : "Withdrawn: the finding counts again.",
                start: r.ended.at,
                "status-change": "open",
              },
            ]
          : []),
      ],
    },
  };
}

/**
 * Streams the assessment results: the document around the attestations is built whole, the
 * attestations (one per signed-off review, possibly tens of thousands) are written one by one.
 */
export async function* assessmentResults(
  ctx: OscalContext,
  signOffs: () => AsyncIterable<SignOff>,
  /** Everyone who signed off a review in scope: the attestations' parties. */
  reviewers: { email: string; name: string }[],
): AsyncIterable<string> {
  const resultUuid = stableUuid(ctx.installation, "result", ctx.period.label);
  const observations = ctx.controls.map((c) => ({
    uuid: stableUuid(resultUuid, "observation", c.id),
    title: `${c.label} across the inventory`,
    description: `${c.applicable} API(s) in scope of ${c.label} at the end of the period: ${c.met} met, ${c.notMet} not met, ${c.cannotJudge} cannot be judged.${c.notMetApis.length ? ` Not met: ${c.notMetApis.map((a) => a.name).join("; ")}.` : ""}`,
    methods: ["EXAMINE"],
    types: ["control-objective"],
    "relevant-evidence": [
      { href: "../data/control-evaluations.csv", description: "Each API judged against each control, with reasons." },
      { href: "../data/inventory.csv", description: "The API inventory at the end of the period." },
      { href: "../data/access-reviews.csv", description: "Access reviews and sign-offs." },
      { href: "../data/auth-events.csv", description: "Authentication events reported by the APIs' gateways." },
    ],
    collected: ctx.dataAsOf,
  }));
  const findings = ctx.controls.map((c, i) => ({
    uuid: stableUuid(resultUuid, "finding", c.id),
    title: `${c.label}: ${c.notMet ? "not satisfied" : c.applicable ? "satisfied" : "no API in scope"}`,
    description: c.summary,
    target: {
      type: "statement-id",
      "target-id": `${c.id}_smt`,
      status: { state: c.notMet || c.cannotJudge ? "not-satisfied" : "satisfied" },
    },
    "related-observations": [{ "observation-uuid": observations[i]!.uuid }],
  }));
  const head = {
    "assessment-results": {
      uuid: stableUuid(ctx.installation, "assessment-results", ctx.period.label),
      metadata: metadata(ctx, `ISM network-API controls — assessment results for ${ctx.period.label}`, reviewers, [
        { id: REVIEWER_ROLE, title: "Access reviewer" },
      ]),
      "import-ap": {
        href: "../index.html#scope",
        remarks: "No separate assessment plan: the scope is recorded in manifest.json and index.html.",
      },
      results: [
        {
          uuid: resultUuid,
          title: `Evaluation of the API inventory for ${ctx.period.label}`,
          description: `ApiLedger's rules applied to each API recorded at the end of the period${ctx.catalog ? `, against ${ctx.catalog}` : " (no ISM catalog imported; built-in control summaries)"}.`,
          start: ctx.period.from,
          end: ctx.period.to,
          // OSCAL wants props absent rather than empty (minItems 1).
          ...(ctx.catalog ? { props: [{ name: "ism-catalog", ns: NS, value: ctx.catalog.replace(/\s+/g, "-") }] } : {}),
          "reviewed-controls": {
            "control-selections": [{ "include-controls": ctx.controls.map((c) => ({ "control-id": c.id })) }],
          },
          observations,
          findings,
          // Absent when nobody signed off a review in scope (OSCAL wants no empty list); else streamed.
          ...(reviewers.length ? { attestations: "\u0000ATTESTATIONS\u0000" } : {}),
        },
      ],
    },
  };
  const whole = JSON.stringify(head, null, 2);
  if (!reviewers.length) {
    yield `${whole}\n`;
    return;
  }
  const [before, after] = whole.split(`"\\u0000ATTESTATIONS\\u0000"`) as [string, string];
  yield `${before}[`;
  let first = true;
  for await (const s of signOffs()) {
    const attestation = {
      "responsible-parties": [
        {
          "role-id": REVIEWER_ROLE,
          "party-uuids": [personUuid(ctx, s.reviewer)],
          remarks: s.reviewer,
        },
      ],
      parts: [
        {
          name: "access-review-sign-off",
          title: `${s.api} — ${s.quarter}`,
          prose: `${s.reviewer} signed off the ${s.quarter} access review of ${s.api} (review ${s.reviewId}) on ${s.signedOffAt}.`,
        },
      ],
    };
    yield `${first ? "\n" : ",\n"}          ${JSON.stringify(attestation)}`;
    first = false;
  }
  yield `${first ? "" : "\n          "}]${after}\n`;
}

export function poam(ctx: OscalContext, items: OpenItem[], accepted: AcceptedRisk[] = []): string {
  const unmet: OpenItem[] = ctx.controls.flatMap((c) =>
    c.notMetApis.map((a) => ({
      id: `${c.id}:${a.id}`,
      title: `${c.label} not met by ${a.name}`,
      description: a.reason,
      owner: a.owner,
      due: null,
      source: "control evaluation",
    })),
  );
  const all = [...items, ...unmet];
  const risks = all.map((item) => ({
    uuid: stableUuid(ctx.installation, "risk", item.id),
    title: item.title,
    description: item.description || item.title,
    statement: `Open since the ${item.source}.`,
    status: "open",
    ...(item.due ? { deadline: `${item.due}T00:00:00Z` } : {}),
  }));
  const deviations = accepted.map((r) => acceptedRisk(ctx, r));
  const document = {
    "plan-of-action-and-milestones": {
      uuid: stableUuid(ctx.installation, "poam", ctx.period.label),
      metadata: metadata(
        ctx,
        `ISM network-API controls — plan of action and milestones, ${ctx.period.label}`,
        accepted.flatMap((r) => (r.requestedBy ? [r.requestedBy, r.approver] : [r.approver])),
      ),
      "system-id": { "identifier-type": "http://ietf.org/rfc/rfc4122", id: stableUuid(ctx.installation, "system") },
      risks: [...risks, ...deviations],
      "poam-items": all.map((item, i) => ({
        uuid: stableUuid(ctx.installation, "poam-item", item.id),
        title: item.title,
        description: item.description || item.title,
        props: [
          { name: "source", ns: NS, value: item.source.replace(/\s+/g, "-") },
          ...(item.owner ? [{ name: "owner", ns: NS, value: item.owner }] : []),
          ...(item.due ? [{ name: "due-date", ns: NS, value: item.due }] : []),
        ],
        "related-risks": [{ "risk-uuid": risks[i]!.uuid }],
      })),
    },
  };
  // Accepted risks are deviations: each an item of the plan too, due for a new look at its expiry.
  document["plan-of-action-and-milestones"]["poam-items"].push(
    ...accepted.map((r, i) => ({
      uuid: stableUuid(ctx.installation, "poam-item", r.id),
      title: deviations[i]!.title,
      description: deviations[i]!.description,
      props: [
        { name: "source", ns: NS, value: "finding-triage" },
        ...(r.requestedBy ? [{ name: "owner", ns: NS, value: r.requestedBy.email }] : []),
        { name: "due-date", ns: NS, value: r.expiresOn },
      ],
      "related-risks": [{ "risk-uuid": deviations[i]!.uuid }],
    })),
  );
  return `${JSON.stringify(document, null, 2)}\n`;
}
