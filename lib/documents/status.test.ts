import { describe, expect, it } from "vitest";
import {
  documentState,
  inForceFrom,
  requiredDocumentGaps,
  versionInForce,
  type VersionFacts,
} from "@/lib/documents/status";

const d = (s: string) => new Date(`${s}T00:00:00Z`);
const v = (
  number: number,
  status: VersionFacts["status"],
  effective: string,
  review: string,
  approved = effective,
  uploaded = approved < effective ? approved : effective,
): VersionFacts => ({
  id: `v${number}`,
  number,
  status,
  effectiveDate: d(effective),
  nextReviewDate: d(review),
  approvedAt: status === "APPROVED" ? d(approved) : null,
  createdAt: new Date(`${uploaded}T09:30:00Z`),
});
const today = d("2026-11-22");

describe("document status", () => {
  it("the version in force is the latest approved one already effective; drafts and future versions do not count", () => {
    const versions = [
      v(1, "APPROVED", "2025-01-01", "2026-01-01"),
      v(2, "APPROVED", "2026-02-01", "2027-02-01"),
      v(3, "APPROVED", "2027-01-01", "2028-01-01"),
      v(4, "DRAFT", "2026-11-01", "2027-11-01"),
    ];
    expect(versionInForce(versions, today)?.number).toBe(2);
    expect(documentState(versions, today)).toMatchObject({ state: "current", pendingDrafts: 1 });
  });

  it("flags a version in force past its review date, and documents with nothing approved", () => {
    expect(documentState([v(1, "APPROVED", "2024-01-01", "2026-11-21")], today).state).toBe("review-overdue");
    expect(documentState([v(1, "APPROVED", "2024-01-01", "2026-11-22")], today).state).toBe("current");
    expect(
      documentState([v(1, "DRAFT", "2026-01-01", "2027-01-01"), v(2, "WITHDRAWN", "2026-01-01", "2027-01-01")], today)
        .state,
    ).toBe("no-approved-version");
    expect(documentState([v(1, "APPROVED", "2026-12-01", "2027-12-01", "2026-11-20")], today).state).toBe(
      "not-yet-effective",
    );
  });

  it("in force only once approved and effective: a past effective date does not backdate an approval", () => {
    // Uploaded and approved on 2026-11-22, effective "since 2019": in force from the approval on.
    const backdated = v(1, "APPROVED", "2019-01-01", "2099-01-01", "2026-11-22");
    expect(inForceFrom(backdated)).toEqual(d("2026-11-22"));
    expect(versionInForce([backdated], d("2025-06-30"))).toBeNull();
    expect(documentState([backdated], d("2025-06-30")).state).toBe("no-approved-version");
    expect(versionInForce([backdated], today)?.number).toBe(1);
    // Approved ahead of its effective date: in force from the effective date.
    expect(inForceFrom(v(2, "APPROVED", "2026-12-01", "2027-12-01", "2026-11-01"))).toEqual(d("2026-12-01"));
    expect(inForceFrom(v(3, "DRAFT", "2026-01-01", "2027-01-01"))).toBeNull();
    // The version that came into force last wins, even with an earlier effective date.
    const older = v(4, "APPROVED", "2025-06-01", "2027-06-01", "2025-05-01");
    expect(versionInForce([older, { ...backdated, number: 5 }], today)?.number).toBe(5);
    expect(versionInForce([older, { ...backdated, number: 5 }], d("2026-11-21"))?.number).toBe(4);
  });

  it("an approval recorded as earlier than the upload (before the rule) counts from the upload day", () => {
    const legacy = v(1, "APPROVED", "2019-01-01", "2099-01-01", "2019-01-02", "2026-11-22");
    expect(inForceFrom(legacy)).toEqual(d("2026-11-22"));
    expect(versionInForce([legacy], d("2025-06-30"))).toBeNull();
    expect(versionInForce([legacy], today)?.number).toBe(1);
  });

  it("a required kind is fine when any document of it is current, else reports the best problem found", () => {
    const gaps = requiredDocumentGaps(
      ["A", "B", "C", "D"],
      [
        { kind: "A", state: "review-overdue" },
        { kind: "A", state: "current" },
        { kind: "B", state: "review-overdue" },
        { kind: "B", state: "no-approved-version" },
        { kind: "C", state: "not-yet-effective" },
      ],
    );
    expect(gaps).toEqual([
      { kind: "B", problem: "review-overdue" },
      { kind: "C", problem: "not-yet-effective" },
      { kind: "D", problem: "missing" },
    ]);
  });
});
