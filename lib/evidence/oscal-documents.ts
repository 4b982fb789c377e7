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

const OSCAL_VERSION = "1.1.2";
const NS = "urn:apiledger";

/** A name-based UUID (RFC 9562 version 5 layout over SHA-1, as OSCAL tools expect a v4/v5 form). */
export function stableUuid(...parts: string[]): string {
  const h = createHash("sha1").update(parts.join("\u0000")).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString("hex");
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

function metadata(ctx: OscalContext, title: string) {
  return {
    title,
    "last-modified": ctx.dataAsOf,
    version: ctx.appVersion,
    "oscal-version": OSCAL_VERSION,
    parties: [
      {
        uuid: stableUuid(ctx.installation, "party"),
        type: "organization",
        name: "ApiLedger installation",
        remarks: `Signing key fingerprint ${ctx.installation}.`,
      },
    ],
  };
}

/**
 * Streams the assessment results: the document around the attestations is built whole, the
 * attestations (one per signed-off review, possibly tens of thousands) are written one by one.
 */
export async function* assessmentResults(
  ctx: OscalContext,
  signOffs: () => AsyncIterable<SignOff>,
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
      metadata: metadata(ctx, `ISM network-API controls — assessment results for ${ctx.period.label}`),
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
          props: ctx.catalog ? [{ name: "ism-catalog", ns: NS, value: ctx.catalog.replace(/\s+/g, "-") }] : [],
          "reviewed-controls": {
            "control-selections": [{ "include-controls": ctx.controls.map((c) => ({ "control-id": c.id })) }],
          },
          observations,
          findings,
          attestations: "\u0000ATTESTATIONS\u0000",
        },
      ],
    },
  };
  const [before, after] = JSON.stringify(head, null, 2).split(`"\\u0000ATTESTATIONS\\u0000"`) as [string, string];
  yield `${before}[`;
  let first = true;
  for await (const s of signOffs()) {
    const attestation = {
      "responsible-parties": [
        {
          "role-id": "reviewer",
          "party-uuids": [stableUuid(ctx.installation, "person", s.reviewer)],
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

export function poam(ctx: OscalContext, items: OpenItem[]): string {
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
  const document = {
    "plan-of-action-and-milestones": {
      uuid: stableUuid(ctx.installation, "poam", ctx.period.label),
      metadata: metadata(ctx, `ISM network-API controls — plan of action and milestones, ${ctx.period.label}`),
      "system-id": { "identifier-type": "http://ietf.org/rfc/rfc4122", id: stableUuid(ctx.installation, "system") },
      risks,
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
  return `${JSON.stringify(document, null, 2)}\n`;
}
