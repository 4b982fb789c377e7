// The bundle's OSCAL documents as NIST's OSCAL 1.1.2 schemas and OSCAL's reference rules judge them: for
// a default installation (no ISM catalog, no review signed off) and a rich one (a catalog imported,
// reviews signed off, an accepted risk), on both databases.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPostgresAvailable, useTestDatabase, type TestDatabase } from "@/lib/testing/test-db";
import { readZip } from "@/lib/testing/read-zip";
import { OSCAL_SCHEMAS_AVAILABLE, catalogIds, oscalProblems } from "@/lib/testing/oscal-check";
import { db } from "@/lib/db/client";
import { seedDemo } from "@/prisma/seed";
import type { Actor } from "@/lib/authz/policy";
import { exportEvidenceBundle } from "@/lib/evidence/export-bundle";
import { importIsmCatalog } from "@/lib/ism/import-ism-catalog";
import { openCampaign } from "@/lib/reviews/open-campaign";
import { saveReview, startReview } from "@/lib/reviews/save-review";
import { signOffReview } from "@/lib/reviews/sign-off-review";
import { CHECKLIST_ITEMS } from "@/lib/reviews/schemas";
import { attachDescription } from "@/lib/openapi-scan/attach-description";
import { decideTriage, requestTriage } from "@/lib/openapi-scan/triage";
import { daysFromTodayInput } from "@/lib/input/date-input";
import { personActor } from "@/lib/testing/actors";

const CATALOG = path.resolve("../shared/data/ism/ISM_catalog-2025.12.json");

for (const provider of ["sqlite", "postgres"] as const) {
  describe.runIf(
    (provider === "sqlite" || (await isPostgresAvailable())) && OSCAL_SCHEMAS_AVAILABLE && fs.existsSync(CATALOG),
  )(`OSCAL documents in evidence bundles (${provider})`, () => {
    let database: TestDatabase;
    let dir: string;
    let auditor: Actor;
    const now = new Date();
    const year = String(now.getUTCFullYear());
    const oscalOf = async (name: string) => {
      const file = path.join(dir, name);
      await exportEvidenceBundle({ actor: auditor }, { period: year }, fs.createWriteStream(file));
      const files = await readZip(file);
      const read = (f: string) => JSON.parse(files.get(f)!.toString("utf8")) as Record<string, unknown>;
      return { ar: read("oscal/assessment-results.json"), poam: read("oscal/poam.json") };
    };
    beforeAll(async () => {
      database = await useTestDatabase(provider);
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "apiledger-oscal-"));
      process.env.APILEDGER_DATA_DIR = dir;
      await seedDemo();
      auditor = await personActor("auditor@example.com");
    });
    afterAll(async () => {
      delete process.env.APILEDGER_DATA_DIR;
      fs.rmSync(dir, { recursive: true, force: true });
      await database?.drop();
    });

    it("a default installation's documents conform", async () => {
      const { ar, poam } = await oscalOf("default.zip");
      expect(oscalProblems("assessment-results", ar)).toEqual([]);
      expect(oscalProblems("poam", poam)).toEqual([]);
    });

    it("a rich installation's documents conform, and name the catalog's own controls and the reviewers", async () => {
      const admin = await personActor("admin@example.com");
      const manager = await personActor("manager@example.com");
      const owner = await personActor("owner@example.com");
      await importIsmCatalog({ actor: admin }, fs.readFileSync(CATALOG));
      const quarter = `${year}-Q${Math.floor(now.getUTCMonth() / 3) + 1}`;
      await openCampaign({ actor: admin }, { quarter, extraApiIds: [] });
      // Two reviews signed off by the Payments manager.
      const reviews = await db.review.findMany({ where: { reviewerId: manager.id! }, take: 2, orderBy: { id: "asc" } });
      expect(reviews).toHaveLength(2);
      for (const r of reviews) {
        await startReview({ actor: manager }, r.id);
        const started = await db.review.findUniqueOrThrow({ where: { id: r.id } });
        const snapshot = JSON.parse(started.snapshot) as { id: string }[];
        await saveReview({ actor: manager }, r.id, started.version, {
          meetingDate: "",
          attendees: "",
          notes: "",
          findings: "",
          checklist: Object.fromEntries(CHECKLIST_ITEMS.map(([key]) => [key, { answer: "YES", comment: "" }])),
          decisions: Object.fromEntries(snapshot.map((c) => [c.id, { decision: "KEEP", reason: "" }])),
        });
        const saved = await db.review.findUniqueOrThrow({ where: { id: r.id }, select: { version: true } });
        await signOffReview({ actor: manager }, r.id, saved.version);
      }
      // An accepted risk.
      const ledger = (await db.api.findFirstOrThrow({ where: { name: "Payments Ledger API" } })).id;
      await attachDescription(
        { actor: owner },
        ledger,
        JSON.stringify({
          openapi: "3.0.3",
          info: { title: "Sign-up", version: "1" },
          paths: { "/signup": { post: { responses: { "201": { description: "Created" } } } } },
        }),
        { kind: "upload" },
      );
      const { id } = await requestTriage({ actor: owner }, ledger, {
        rule: "unauthenticated-write",
        pointer: "/paths/~1signup/post",
        kind: "ACCEPTED_RISK",
        reason: "Sign-up is public by design.",
        approverId: manager.id,
        expiresOn: daysFromTodayInput(60),
      });
      await decideTriage({ actor: manager }, id, 1, { decision: "APPROVE", note: "" });

      const { ar, poam } = await oscalOf("rich.zip");
      const catalog = catalogIds(JSON.parse(fs.readFileSync(CATALOG, "utf8")));
      expect(oscalProblems("assessment-results", ar, catalog)).toEqual([]);
      expect(oscalProblems("poam", poam, catalog)).toEqual([]);
      const result = (ar["assessment-results"] as { results: Record<string, unknown>[] }).results[0]!;
      expect(result.props).toEqual([expect.objectContaining({ name: "ism-catalog" })]);
      const attestations = result.attestations as { "responsible-parties": { "party-uuids": string[] }[] }[];
      expect(attestations).toHaveLength(2);
      const parties = (ar["assessment-results"] as { metadata: { parties: Record<string, unknown>[] } }).metadata
        .parties;
      const reviewer = parties.find((p) => p.uuid === attestations[0]!["responsible-parties"][0]!["party-uuids"][0]);
      expect(reviewer).toMatchObject({ type: "person", name: "Morgan Manager", "email-addresses": [manager.email] });
    });
  });
}
