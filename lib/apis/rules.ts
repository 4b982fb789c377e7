// The rules engine: which ISM network-API controls apply to an API and whether each is met.
// Pure and synchronous, so it runs in the write path (to store the result on the row), on the detail
// page (to explain it), and in unit tests, with the same answer everywhere.
import { CONTROLS, CONTROL_IDS, type ControlId, type ControlInfo } from "@/lib/ism/controls";
import {
  LABELS,
  WEAK_AUTH_METHODS,
  sensitivityRank,
  type AuthMethod,
  type AuthzModel,
  type ControlStatus,
  type Exposure,
  type Sensitivity,
} from "@/lib/apis/enums";

export type ApiFacts = {
  exposure: Exposure;
  partnerLinkPrivate: boolean;
  modifiesData: boolean | null;
  readsNonPublic: boolean | null;
  sensitivity: Sensitivity;
  /** Empty means "not recorded". */
  authMethods: readonly AuthMethod[];
  authzModel: AuthzModel | null;
  centrallyLogged: boolean | null;
  loggingDestination: string;
  /**
   * From the attached OpenAPI description (undefined/null = none attached): how many write and read
   * operations can be called without authenticating. What the description says overrides what the
   * record claims: a documented unauthenticated write means clients are not all authenticated.
   * acceptedWrites/acceptedReads: further anonymous operations left out of those counts because an
   * approved, unexpired triage accepts them as a risk or marks them a false positive.
   */
  spec?: { anonWrites: number; anonReads: number; acceptedWrites?: number; acceptedReads?: number } | null;
};

export type ControlEvaluation = {
  controlId: ControlId;
  status: ControlStatus;
  /** Why, in plain words: first why it applies (or not), then why it is or is not met. */
  reasons: string[];
  /** Met on paper but worth a second look (weak methods on sensitive data). */
  warnings: string[];
};

/**
 * Partner exposure: partners usually reach an API over the internet, so it counts as internet-accessible
 * unless the record says the partner link is private (a leased line, VPN or cross-connect).
 */
export function isInternetAccessible(facts: Pick<ApiFacts, "exposure" | "partnerLinkPrivate">): boolean {
  return facts.exposure === "INTERNET" || (facts.exposure === "PARTNER" && !facts.partnerLinkPrivate);
}

function exposureReason(facts: ApiFacts): string {
  if (facts.exposure === "INTERNET") return "it is internet-facing";
  if (facts.exposure === "PARTNER") {
    return facts.partnerLinkPrivate
      ? "partners reach it over a private link, so it counts as not internet-accessible"
      : "partners reach it over the internet, so it counts as internet-accessible";
  }
  return "it is reachable only inside the organisation";
}

type Scope = { applies: boolean | null; why: string };

/** Does the API's data activity bring it under the control? null = the facts needed are not recorded. */
function dataScope(control: ControlInfo, facts: ApiFacts): Scope {
  const modifies = facts.modifiesData;
  const nonPublic = facts.readsNonPublic;
  if (control.trigger === "modifies") {
    if (modifies === null) return { applies: null, why: "whether it modifies data is not recorded" };
    return { applies: modifies, why: modifies ? "it modifies data" : "it does not modify data" };
  }
  if (control.trigger === "nonPublic") {
    if (nonPublic === null) return { applies: null, why: "whether it gives access to non-public data is not recorded" };
    return {
      applies: nonPublic,
      why: nonPublic ? "it gives access to non-public data" : "it gives access only to public data",
    };
  }
  if (modifies === true) return { applies: true, why: "it modifies data" };
  if (nonPublic === true) return { applies: true, why: "it gives access to non-public data" };
  if (modifies === false && nonPublic === false)
    return { applies: false, why: "it neither modifies data nor gives access to non-public data" };
  return { applies: null, why: "whether it modifies data or gives access to non-public data is not fully recorded" };
}

function judgeAuth(facts: ApiFacts): Omit<ControlEvaluation, "controlId"> {
  const methods = facts.authMethods;
  const warnings: string[] = [];
  if (methods.includes("NONE")) {
    return {
      status: "NOT_MET",
      reasons: ["Its recorded authentication method is “none”: clients are not authenticated."],
      warnings,
    };
  }
  if (facts.authzModel === "NONE") {
    return {
      status: "NOT_MET",
      reasons: [
        "Its recorded authorisation model is “none”: authenticated clients are not checked for what they may do.",
      ],
      warnings,
    };
  }
  const missing: string[] = [];
  if (methods.length === 0) missing.push("authentication method");
  if (facts.authzModel === null) missing.push("authorisation model");
  if (missing.length > 0) {
    return {
      status: "CANNOT_JUDGE",
      reasons: [`Its ${missing.join(" and ")} ${missing.length > 1 ? "are" : "is"} not recorded yet.`],
      warnings,
    };
  }
  const methodNames = methods.map((m) => LABELS.authMethod[m]).join(", ");
  const weak = methods.filter((m) => WEAK_AUTH_METHODS.includes(m));
  if (weak.length > 0 && sensitivityRank(facts.sensitivity) >= sensitivityRank("OFFICIAL_SENSITIVE")) {
    warnings.push(
      `${weak.map((m) => LABELS.authMethod[m]).join(" and ")} on ${LABELS.sensitivity[facts.sensitivity]} data is weak: a shared secret identifies the client only while it stays secret. Prefer mutual TLS or OAuth 2.0 client credentials.`,
    );
  }
  return {
    status: "MET",
    reasons: [
      `Clients authenticate with ${methodNames} and are authorised by ${LABELS.authzModel[facts.authzModel!]}.`,
    ],
    warnings,
  };
}

/** The OpenAPI description's evidence against the record: anonymous writes (ISM-2013 family) or reads (ISM-2014 family). */
function judgeSpec(
  control: ControlInfo,
  facts: ApiFacts,
  judged: Omit<ControlEvaluation, "controlId">,
): Omit<ControlEvaluation, "controlId"> {
  const spec = facts.spec;
  if (!spec) return judged;
  const pick = (writes: number, reads: number) =>
    control.trigger === "modifies" ? writes : control.trigger === "nonPublic" ? reads : writes + reads;
  const anon = pick(spec.anonWrites, spec.anonReads);
  const accepted = pick(spec.acceptedWrites ?? 0, spec.acceptedReads ?? 0);
  const what = control.trigger === "modifies" ? "write" : control.trigger === "nonPublic" ? "read" : "";
  const acceptedNote = accepted
    ? [
        `${accepted} ${what ? `${what} ` : ""}operation${accepted === 1 ? "" : "s"} of its OpenAPI description that can be called without authenticating ${accepted === 1 ? "is" : "are"} left out: accepted as a risk or marked a false positive, with approval, until the triage expires.`,
      ]
    : [];
  if (anon === 0) return accepted ? { ...judged, warnings: [...judged.warnings, ...acceptedNote] } : judged;
  const reason = `Its OpenAPI description has ${anon} ${what ? `${what} ` : ""}operation${anon === 1 ? "" : "s"} that can be called without authenticating.`;
  return {
    status: "NOT_MET",
    reasons: judged.status === "NOT_MET" ? [...judged.reasons, reason] : [reason],
    warnings: [...judged.warnings, ...acceptedNote],
  };
}

function judgeLogging(facts: ApiFacts): Omit<ControlEvaluation, "controlId"> {
  if (facts.centrallyLogged === false) {
    return { status: "NOT_MET", reasons: ["Its calls are recorded as not centrally logged."], warnings: [] };
  }
  if (facts.centrallyLogged === null) {
    return {
      status: "CANNOT_JUDGE",
      reasons: ["Whether its calls are centrally logged is not recorded yet."],
      warnings: [],
    };
  }
  const destination = facts.loggingDestination.trim();
  if (!destination) {
    return {
      status: "CANNOT_JUDGE",
      reasons: ["Central logging is recorded, but not where the logs go."],
      warnings: [],
    };
  }
  return { status: "MET", reasons: [`Its calls are centrally logged to ${destination}.`], warnings: [] };
}

export function evaluateControl(controlId: ControlId, facts: ApiFacts): ControlEvaluation {
  const control = CONTROLS[controlId];
  const internet = isInternetAccessible(facts);
  if (internet !== control.internet) {
    const twin = CONTROL_IDS.find(
      (id) => CONTROLS[id].kind === control.kind && CONTROLS[id].trigger === control.trigger && id !== controlId,
    );
    return {
      controlId,
      status: "NOT_APPLICABLE",
      reasons: [
        `Not applicable: ${exposureReason(facts)}${twin ? ` (${CONTROLS[twin].label} covers that case)` : ""}.`,
      ],
      warnings: [],
    };
  }
  const scope = dataScope(control, facts);
  if (scope.applies === false) {
    return { controlId, status: "NOT_APPLICABLE", reasons: [`Not applicable: ${scope.why}.`], warnings: [] };
  }
  if (scope.applies === null) {
    return { controlId, status: "CANNOT_JUDGE", reasons: [`May apply, but ${scope.why}.`], warnings: [] };
  }
  const judged = control.kind === "auth" ? judgeSpec(control, facts, judgeAuth(facts)) : judgeLogging(facts);
  return { controlId, ...judged, reasons: [`Applies: ${scope.why} and ${exposureReason(facts)}.`, ...judged.reasons] };
}

export function evaluateApi(facts: ApiFacts): ControlEvaluation[] {
  return CONTROL_IDS.map((id) => evaluateControl(id, facts));
}

/** The worst applicable outcome, for one-glance status in lists. */
export function overallStatus(evaluations: readonly Pick<ControlEvaluation, "status">[]): ControlStatus {
  const statuses = evaluations.map((e) => e.status);
  if (statuses.includes("NOT_MET")) return "NOT_MET";
  if (statuses.includes("CANNOT_JUDGE")) return "CANNOT_JUDGE";
  if (statuses.includes("MET")) return "MET";
  return "NOT_APPLICABLE";
}
