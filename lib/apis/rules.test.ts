import { describe, expect, it } from "vitest";
import { evaluateApi, evaluateControl, isInternetAccessible, overallStatus, type ApiFacts } from "@/lib/apis/rules";
import type { ControlId } from "@/lib/ism/controls";

const base: ApiFacts = {
  exposure: "INTERNAL",
  partnerLinkPrivate: false,
  modifiesData: true,
  readsNonPublic: true,
  sensitivity: "OFFICIAL",
  authMethods: ["MTLS"],
  authzModel: "RBAC",
  centrallyLogged: true,
  loggingDestination: "SIEM",
};

const statuses = (facts: ApiFacts) =>
  Object.fromEntries(evaluateApi(facts).map((e) => [e.controlId, e.status])) as Record<ControlId, string>;

describe("which controls apply", () => {
  it.each([
    // exposure, partner private, modifies, non-public → the controls that apply
    ["INTERNAL", false, true, true, ["ism-2013", "ism-2014", "ism-2015"]],
    ["INTERNAL", false, true, false, ["ism-2013", "ism-2015"]],
    ["INTERNAL", false, false, true, ["ism-2014", "ism-2015"]],
    ["INTERNAL", false, false, false, []],
    ["INTERNET", false, true, true, ["ism-1818", "ism-1817", "ism-1910"]],
    ["INTERNET", false, false, true, ["ism-1817", "ism-1910"]],
    ["INTERNET", false, false, false, []],
    ["PARTNER", false, true, false, ["ism-1818", "ism-1910"]],
    ["PARTNER", true, true, false, ["ism-2013", "ism-2015"]],
  ] as const)(
    "%s (private link %s), modifies %s, non-public %s",
    (exposure, partnerLinkPrivate, modifiesData, readsNonPublic, expected) => {
      const result = statuses({ ...base, exposure, partnerLinkPrivate, modifiesData, readsNonPublic });
      const applying = Object.entries(result)
        .filter(([, s]) => s !== "NOT_APPLICABLE")
        .map(([id]) => id)
        .sort();
      expect(applying).toEqual([...expected].sort());
    },
  );

  it("treats partner exposure as internet-accessible unless the link is private", () => {
    expect(isInternetAccessible({ exposure: "PARTNER", partnerLinkPrivate: false })).toBe(true);
    expect(isInternetAccessible({ exposure: "PARTNER", partnerLinkPrivate: true })).toBe(false);
    expect(isInternetAccessible({ exposure: "INTERNAL", partnerLinkPrivate: true })).toBe(false);
  });

  it("cannot judge a control whose scope depends on an unrecorded fact", () => {
    const e = evaluateControl("ism-2013", { ...base, modifiesData: null });
    expect(e.status).toBe("CANNOT_JUDGE");
    expect(e.reasons.join(" ")).toMatch(/whether it modifies data is not recorded/);
    // logging applies as soon as one trigger is known to be true
    expect(evaluateControl("ism-2015", { ...base, modifiesData: null, readsNonPublic: true }).status).toBe("MET");
    expect(evaluateControl("ism-2015", { ...base, modifiesData: null, readsNonPublic: false }).status).toBe(
      "CANNOT_JUDGE",
    );
  });
});

describe("whether an applicable authentication control is met", () => {
  it("is not met when authentication or authorisation is none", () => {
    const noAuth = evaluateControl("ism-2013", { ...base, authMethods: ["NONE"] });
    expect(noAuth.status).toBe("NOT_MET");
    expect(noAuth.reasons.join(" ")).toMatch(/authentication method is “none”/);
    const noAuthz = evaluateControl("ism-2014", { ...base, authzModel: "NONE" });
    expect(noAuthz.status).toBe("NOT_MET");
    expect(noAuthz.reasons.join(" ")).toMatch(/authorisation model is “none”/);
  });

  it("cannot be judged when the method or model is not recorded, and says which", () => {
    expect(evaluateControl("ism-2013", { ...base, authMethods: [] }).reasons.join(" ")).toMatch(
      /authentication method is not recorded/,
    );
    expect(evaluateControl("ism-2013", { ...base, authzModel: null }).status).toBe("CANNOT_JUDGE");
    expect(evaluateControl("ism-2013", { ...base, authMethods: [], authzModel: null }).reasons.join(" ")).toMatch(
      /authentication method and authorisation model are not recorded/,
    );
  });

  it("is met with a client-authenticating method and a model, naming both", () => {
    const e = evaluateControl("ism-1817", {
      ...base,
      exposure: "INTERNET",
      authMethods: ["OAUTH2_CLIENT_CREDENTIALS"],
      authzModel: "SCOPES",
    });
    expect(e.status).toBe("MET");
    expect(e.reasons.join(" ")).toMatch(/OAuth 2.0 client credentials.*Scopes/);
    expect(e.warnings).toEqual([]);
  });

  it("warns about basic auth or API keys on sensitive data but still counts the control met", () => {
    const sensitive = evaluateControl("ism-2014", { ...base, authMethods: ["API_KEY"], sensitivity: "PROTECTED" });
    expect(sensitive.status).toBe("MET");
    expect(sensitive.warnings[0]).toMatch(/API key on PROTECTED data is weak/);
    expect(evaluateControl("ism-2014", { ...base, authMethods: ["BASIC"], sensitivity: "OFFICIAL" }).warnings).toEqual(
      [],
    );
  });
});

describe("whether an applicable logging control is met", () => {
  it.each([
    [true, "Splunk", "MET"],
    [true, "  ", "CANNOT_JUDGE"],
    [false, "", "NOT_MET"],
    [null, "", "CANNOT_JUDGE"],
  ] as const)("centrally logged %s to %j → %s", (centrallyLogged, loggingDestination, expected) => {
    expect(evaluateControl("ism-2015", { ...base, centrallyLogged, loggingDestination }).status).toBe(expected);
  });
});

describe("overall status", () => {
  it("is the worst applicable outcome", () => {
    expect(overallStatus([{ status: "MET" }, { status: "NOT_MET" }, { status: "CANNOT_JUDGE" }])).toBe("NOT_MET");
    expect(overallStatus([{ status: "MET" }, { status: "CANNOT_JUDGE" }])).toBe("CANNOT_JUDGE");
    expect(overallStatus([{ status: "NOT_APPLICABLE" }, { status: "MET" }])).toBe("MET");
    expect(overallStatus([{ status: "NOT_APPLICABLE" }])).toBe("NOT_APPLICABLE");
  });
});

describe("the attached OpenAPI description counts against the record", () => {
  it("anonymous writes fail ISM-2013 and anonymous reads fail ISM-2014, even when the record says mTLS", () => {
    expect(statuses({ ...base, spec: { anonWrites: 0, anonReads: 0 } })).toMatchObject({
      "ism-2013": "MET",
      "ism-2014": "MET",
    });
    const writes = evaluateControl("ism-2013", { ...base, spec: { anonWrites: 2, anonReads: 0 } });
    expect(writes.status).toBe("NOT_MET");
    expect(writes.reasons).toContain(
      "Its OpenAPI description has 2 write operations that can be called without authenticating.",
    );
    expect(statuses({ ...base, spec: { anonWrites: 2, anonReads: 0 } })["ism-2014"]).toBe("MET");
    expect(statuses({ ...base, spec: { anonWrites: 0, anonReads: 1 } })).toMatchObject({
      "ism-2013": "MET",
      "ism-2014": "NOT_MET",
    });
    // Logging is not about authentication; controls that do not apply stay not applicable.
    expect(statuses({ ...base, spec: { anonWrites: 5, anonReads: 5 } })["ism-2015"]).toBe("MET");
    expect(statuses({ ...base, modifiesData: false, spec: { anonWrites: 5, anonReads: 0 } })["ism-2013"]).toBe(
      "NOT_APPLICABLE",
    );
    // Internet-facing twin.
    expect(statuses({ ...base, exposure: "INTERNET", spec: { anonWrites: 1, anonReads: 0 } })["ism-1818"]).toBe(
      "NOT_MET",
    );
  });
});
