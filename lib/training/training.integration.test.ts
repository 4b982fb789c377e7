import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPostgresAvailable, useTestDatabase, type TestDatabase } from "@/lib/testing/test-db";
import { db } from "@/lib/db/client";
import { seedDemo } from "@/prisma/seed";
import type { Actor } from "@/lib/authz/policy";
import { recordTrainingSession } from "@/lib/training/record-session";
import { updateTrainingSession } from "@/lib/training/update-session";
import { importAttendance, previewAttendanceImport } from "@/lib/training/import-attendance";
import { getTrainingCoverage, getTrainingSession } from "@/lib/training/queries";
import { listUsers } from "@/lib/users/queries";
import { parseUserView } from "@/lib/users/list-view";
import { personActor } from "@/lib/testing/actors";

const NOW = new Date("2026-11-22T10:00:00Z");

for (const provider of ["sqlite", "postgres"] as const) {
  describe.runIf(provider === "sqlite" || (await isPostgresAvailable()))(`training records on ${provider}`, () => {
    let database: TestDatabase;
    let manager: Actor, owner: Actor, auditor: Actor;
    beforeAll(async () => {
      database = await useTestDatabase(provider);
      await seedDemo();
      manager = await personActor("manager@example.com");
      owner = await personActor("owner@example.com");
      auditor = await personActor("auditor@example.com");
    });
    afterAll(async () => database?.drop());

    const session = (attendeeIds: string[]) => ({
      topic: "OAuth 2.0 scopes workshop",
      heldOn: "2026-11-20",
      trainer: "Identity team",
      durationMinutes: 120,
      isApiSecurity: true,
      notes: "",
      materialsId: "",
      attendeeIds,
    });

    it("coverage: the share of API owners and reviewers with API-security training in the last 12 months", async () => {
      const coverage = await getTrainingCoverage(auditor, NOW);
      expect(coverage.population).toBe(5);
      expect(coverage.trained).toBe(3);
      expect(coverage.people.filter((p) => !p.isCurrent).map((p) => [p.email, p.lastTrained])).toEqual([
        ["jo.owner@example.com", ""],
        ["priya.owner@example.com", "2025-06-01"],
      ]);
      // Per person, on the users page too: the last API-security training.
      const users = new Map(
        (await listUsers(auditor, { ...parseUserView({}), pageSize: 100 })).rows.map((u) => [u.email, u.lastTrainedOn]),
      );
      expect([
        users.get("priya.owner@example.com"),
        users.get("owner@example.com"),
        users.get("jo.owner@example.com"),
      ]).toEqual(["2025-06-01", "2026-03-10", null]);
    });

    it("records a session with attendees; bad input gets field errors and changes nothing", async () => {
      const jo = (await db.user.findUniqueOrThrow({ where: { email: "jo.owner@example.com" } })).id;
      const before = await db.trainingSession.count();
      await expect(recordTrainingSession({ actor: owner }, session([jo]))).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(
        recordTrainingSession(
          { actor: manager },
          { ...session([jo]), heldOn: "2999-01-01", durationMinutes: 2, topic: "" },
        ),
      ).rejects.toMatchObject({
        fieldErrors: {
          heldOn: ["Record a session once it has been held (the date cannot be in the future)."],
          durationMinutes: ["At least 5 minutes."],
          topic: ["Topic is required."],
        },
      });
      await expect(recordTrainingSession({ actor: manager }, session([jo, "no-such-user"]))).rejects.toMatchObject({
        fieldErrors: { attendeeIds: ["Choose attendees from the list of active users."] },
      });
      expect(await db.trainingSession.count()).toBe(before);
      const { id } = await recordTrainingSession({ actor: manager }, session([jo, jo]));
      expect((await getTrainingSession(auditor, id))!.attendees.map((a) => a.email)).toEqual(["jo.owner@example.com"]);
      expect((await getTrainingCoverage(auditor, NOW)).trained).toBe(4);
      await expect(updateTrainingSession({ actor: manager }, id, 99, session([]))).rejects.toMatchObject({
        code: "CONFLICT",
      });
      await updateTrainingSession({ actor: manager }, id, 1, { ...session([]), isApiSecurity: false });
      expect((await getTrainingCoverage(auditor, NOW)).trained).toBe(3);
      expect(await db.auditEntry.count({ where: { targetId: id } })).toBe(2);
    });

    it("imports attendance from CSV: a dry run lists every row's problem, and a bad file writes nothing", async () => {
      const bad = [
        "email,topic,date,trainer,duration_minutes,api_security",
        "priya.owner@example.com,Secure API design,2026-11-18,Platform team,60,yes",
        "nobody@example.com,Secure API design,2026-11-18,,,",
        "jo.owner@example.com,Secure API design,18/11/2026,,,",
        "jo.owner@example.com,Secure API design,2999-01-01,,,",
        "priya.owner@example.com,secure api design,2026-11-18,,,",
        "jo.owner@example.com,Secure API design,2026-11-18,Someone else,,",
        "jo.owner@example.com,Threat modelling,2026-11-19,,45,maybe",
        "sam.owner@example.com,Threat modelling,2026-11-19,,,",
      ].join("\n");
      const before = {
        sessions: await db.trainingSession.count(),
        attendance: await db.trainingAttendance.count(),
        audit: await db.auditEntry.count(),
      };
      const preview = await previewAttendanceImport({ actor: manager }, bad);
      expect(preview.ok).toBe(false);
      expect(preview.rows.map((r) => [r.line, r.errors])).toEqual([
        [2, []],
        [3, ["email: no user has the address “nobody@example.com”."]],
        [4, ["date: must be a date like 2026-11-22."]],
        [5, ["date: the session cannot be in the future."]],
        [6, ["Duplicate: line 2 already lists priya.owner@example.com for this session."]],
        [7, ["trainer: line 2 names “Platform team” for the same session."]],
        [8, ["api_security: use yes or no."]],
        [
          9,
          [
            "trainer: needed to create the session “Threat modelling” on 2026-11-19.",
            "duration_minutes: needed to create the session “Threat modelling” on 2026-11-19.",
          ],
        ],
      ]);
      await expect(importAttendance({ actor: manager }, bad)).rejects.toMatchObject({ code: "VALIDATION" });
      await expect(previewAttendanceImport({ actor: owner }, bad)).rejects.toMatchObject({ code: "FORBIDDEN" });
      expect(await previewAttendanceImport({ actor: manager }, "name,when\nx,y")).toMatchObject({
        ok: false,
        fileErrors: [
          "Unknown columns: name, when. Allowed: email, topic, date, trainer, duration_minutes, api_security.",
          "Missing required columns: email, topic, date.",
        ],
      });
      expect({
        sessions: await db.trainingSession.count(),
        attendance: await db.trainingAttendance.count(),
        audit: await db.auditEntry.count(),
      }).toEqual(before);
    });

    it("a valid file creates new sessions and adds to recorded ones; importing it again adds nothing", async () => {
      const good = [
        "email,topic,date,trainer,duration_minutes",
        "priya.owner@example.com,Secure API design,2026-11-18,Platform team,60",
        "jo.owner@example.com,Secure API design,2026-11-18,,",
        "priya.owner@example.com,API security refresher,2025-06-01,,",
        "jo.owner@example.com,API security refresher,2025-06-01,,",
      ].join("\n");
      const preview = await previewAttendanceImport({ actor: manager }, good);
      expect(preview).toMatchObject({ ok: true, newSessions: 1, additions: 3, alreadyRecorded: 1 });
      expect(preview.rows.map((r) => r.action)).toEqual(["create-session", "add", "already-recorded", "add"]);
      await importAttendance({ actor: manager }, good);
      const created = await db.trainingSession.findFirstOrThrow({
        where: { topic: "Secure API design" },
        include: { _count: { select: { attendees: true } } },
      });
      expect(created).toMatchObject({
        trainer: "Platform team",
        durationMinutes: 60,
        isApiSecurity: true,
        _count: { attendees: 2 },
      });
      expect((await getTrainingCoverage(auditor, NOW)).trained).toBe(5);
      expect(await previewAttendanceImport({ actor: manager }, good)).toMatchObject({
        ok: true,
        newSessions: 0,
        additions: 0,
        alreadyRecorded: 4,
      });
    });
  });
}
