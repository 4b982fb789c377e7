import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPostgresAvailable, useTestDatabase, type TestDatabase } from "@/lib/testing/test-db";
import { db } from "@/lib/db/client";
import { seedDemo } from "@/prisma/seed";
import { ZIncidentInput } from "@/lib/incidents/schemas";
import { reportIncident } from "@/lib/incidents/report-incident";
import { updateIncident } from "@/lib/incidents/update-incident";
import { advanceIncident } from "@/lib/incidents/advance-incident";
import { addIncidentEntry } from "@/lib/incidents/add-entry";
import { getIncident, getIncidentSummary, incidentsForApi, listIncidents } from "@/lib/incidents/queries";
import type { Actor, TokenScope } from "@/lib/authz/policy";
import { openCampaign } from "@/lib/reviews/open-campaign";
import { getMyWork, getReview } from "@/lib/reviews/queries";
import { addIncidentFollowUp } from "@/lib/incidents/add-incident-follow-up";
import { updateFollowUp } from "@/lib/follow-ups/update-follow-up";
import { personActor } from "@/lib/testing/actors";

/** The same person acting through an API token limited to one team (as lib/rest/authenticate.ts builds it). */
const throughToken = (
  actor: Actor,
  teamId: string,
  scopes: TokenScope[] = ["incidents:read", "incidents:write"],
): Actor => (actor.kind === "user" ? { ...actor, token: { id: "test-token", scopes, teamId } } : actor);

for (const provider of ["sqlite", "postgres"] as const) {
  describe.runIf(provider === "sqlite" || (await isPostgresAvailable()))(`incidents on ${provider}`, () => {
    let database: TestDatabase;
    let owner: Actor, manager: Actor, auditor: Actor, admin: Actor;
    let ledgerId: string;
    beforeAll(async () => {
      database = await useTestDatabase(provider);
      await seedDemo();
      owner = await personActor("owner@example.com");
      manager = await personActor("manager@example.com");
      auditor = await personActor("auditor@example.com");
      admin = await personActor("admin@example.com");
      ledgerId = (await db.api.findFirstOrThrow({ where: { name: "Payments Ledger API" } })).id;
    });
    afterAll(async () => database?.drop());

    const input = () => ({
      title: "Leaked API key used from an unknown address",
      type: "CREDENTIAL_COMPROMISE",
      severity: "HIGH",
      detectedAt: "2026-11-10T08:15",
      reportedAt: "2026-11-10T09:00",
      reportedBy: "SOC analyst",
      description: "The legacy-batch key was used from outside the agency network.",
      apiIds: [ledgerId],
      affectedClients: "legacy-batch",
      rootCause: "",
      lessonsLearned: "",
    });

    it("records an incident with its timeline, walks the status workflow, and refuses closing without root cause", async () => {
      await expect(reportIncident({ actor: auditor }, input())).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(
        reportIncident({ actor: owner }, { ...input(), severity: "APOCALYPTIC", reportedAt: "2026-11-09T00:00" }),
      ).rejects.toMatchObject({
        code: "VALIDATION",
        fieldErrors: { severity: ["Choose a valid severity."] },
      });
      await expect(
        reportIncident({ actor: owner }, { ...input(), reportedAt: "2026-11-09T00:00" }),
      ).rejects.toMatchObject({ fieldErrors: { reportedAt: ["It cannot be reported before it was detected."] } });
      // RFC 3339 as REST callers send it, in any offset: taken as the instant it names.
      expect(
        ZIncidentInput.parse({
          ...input(),
          detectedAt: "2026-11-10T19:00:00.5+11:00",
          reportedAt: "2026-11-10T08:30:00Z",
        }),
      ).toMatchObject({ detectedAt: "2026-11-10T08:00:00.500Z", reportedAt: "2026-11-10T08:30:00.000Z" });
      await expect(
        reportIncident({ actor: owner }, { ...input(), detectedAt: "2026-11-10 08:00" }),
      ).rejects.toMatchObject({ fieldErrors: { detectedAt: [expect.stringMatching(/RFC 3339/)] } });
      const { id } = await reportIncident({ actor: owner }, input());
      await expect(advanceIncident({ actor: manager }, id, 1)).rejects.toMatchObject({ code: "FORBIDDEN" });
      // Times happen in order and not in the future: a report from next year, or a triage before the report,
      // is refused; a step may be recorded at the time it happened.
      await expect(
        reportIncident({ actor: owner }, { ...input(), reportedAt: `${new Date().getUTCFullYear() + 1}-01-01T00:00` }),
      ).rejects.toMatchObject({ fieldErrors: { reportedAt: ["Reported at is in the future."] } });
      await expect(advanceIncident({ actor: owner }, id, 1, { at: "2026-11-10T08:59" })).rejects.toMatchObject({
        code: "VALIDATION",
        fieldErrors: { at: ["Give a time after the incident's latest recorded time."] },
      });
      expect(await advanceIncident({ actor: owner }, id, 1, { at: "2026-11-10T09:30" })).toBe("TRIAGED");
      await expect(advanceIncident({ actor: owner }, id, 1)).rejects.toMatchObject({ code: "CONFLICT" });
      // Triage has no column, only its timeline entry: containment cannot come before it either.
      await expect(advanceIncident({ actor: owner }, id, 2, { at: "2026-11-10T09:15" })).rejects.toMatchObject({
        fieldErrors: { at: ["Give a time after the incident's latest recorded time."] },
      });
      expect(await advanceIncident({ actor: owner }, id, 2, { at: "2026-11-10T10:00" })).toBe("CONTAINED");
      // The report cannot then be moved after the containment.
      await expect(
        updateIncident({ actor: owner }, id, 3, { ...input(), reportedAt: "2026-11-10T10:30" }),
      ).rejects.toMatchObject({
        fieldErrors: { reportedAt: [expect.stringMatching(/cannot be reported after it was contained/)] },
      });
      expect((await getIncident(auditor, id))!.containedAt).toBe("2026-11-10T10:00:00.000Z");
      await addIncidentEntry({ actor: owner }, id, {
        kind: "notification",
        at: "2026-11-10T11:00",
        recipient: "",
        text: "Told them",
      }).catch((e) => expect(e.fieldErrors.recipient[0]).toMatch(/Say who was notified/));
      await addIncidentEntry({ actor: owner }, id, {
        kind: "notification",
        at: "2026-11-10T11:00",
        recipient: "ASD ReportCyber",
        text: "Reported as a credential compromise",
      });
      expect(await advanceIncident({ actor: owner }, id, 3)).toBe("RESOLVED");
      await expect(advanceIncident({ actor: owner }, id, 4)).rejects.toThrow(/root cause and the lessons learned/);
      await updateIncident({ actor: owner }, id, 4, {
        ...input(),
        rootCause: "Key committed to a public repository",
        lessonsLearned: "Secret scanning on all repositories",
      });
      expect(await advanceIncident({ actor: owner }, id, 5)).toBe("CLOSED");
      const closed = (await getIncident(auditor, id))!;
      expect([closed.containedAt, closed.resolvedAt, closed.closedAt].every(Boolean)).toBe(true);
      // In time order: the report, triage at 09:30 and containment at 10:00 as recorded, the notification at
      // 11:00, then the resolution and closure made now.
      expect(closed.entries.map((e) => e.kind)).toEqual([
        "status",
        "status",
        "status",
        "notification",
        "status",
        "status",
      ]);
      expect(closed.entries.find((e) => e.kind === "notification")).toMatchObject({ recipient: "ASD ReportCyber" });

      // Closed: read-only except addenda.
      await expect(updateIncident({ actor: owner }, id, 6, input())).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(updateIncident({ actor: admin }, id, 6, input())).rejects.toMatchObject({ code: "FORBIDDEN" });
      await addIncidentEntry({ actor: owner }, id, {
        kind: "note",
        at: "2026-11-20T10:00",
        recipient: "",
        text: "The repository was also purged.",
      });
      const after = (await getIncident(auditor, id))!;
      expect(after.entries.find((e) => e.kind === "addendum")).toMatchObject({
        text: "The repository was also purged.",
      });
      expect(after.rootCause).toBe("Key committed to a public repository");
    });

    it("shows in the API's quarterly review as an incident since the last review", async () => {
      await openCampaign({ actor: admin }, { quarter: "2026-Q4", extraApiIds: [] });
      const review = await db.review.findFirstOrThrow({ where: { apiId: ledgerId } });
      const detail = (await getReview(auditor, review.id))!;
      expect(detail.incidentsSince.slice(0, 10)).toBe("2026-10-01");
      expect(detail.incidents.map((i) => i.title)).toEqual(["Leaked API key used from an unknown address"]);
    });

    it("summarises open incidents by severity and mean times to contain and resolve per quarter", async () => {
      await reportIncident(
        { actor: manager },
        {
          ...input(),
          title: "Probe of the admin endpoint",
          severity: "LOW",
          detectedAt: "2026-08-01T00:00",
          reportedAt: "2026-08-01T01:00",
        },
      );
      const summary = await getIncidentSummary(auditor, new Date("2026-11-30T00:00:00Z"));
      expect(summary.openBySeverity).toEqual({ LOW: 1 });
      expect(summary.quarters.map((q) => q.quarter)).toEqual(["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]);
      const q4 = summary.quarters[3]!;
      const closed = (await getIncident(
        auditor,
        (await db.incident.findFirstOrThrow({ where: { status: "CLOSED" } })).id,
      ))!;
      const expectedHours = (Date.parse(closed.containedAt!) - Date.parse(closed.detectedAt)) / 3_600_000;
      expect(q4.count).toBe(1);
      expect(q4.meanHoursToContain).toBeCloseTo(expectedHours, 3);
      expect(q4.meanHoursToResolve!).toBeGreaterThanOrEqual(q4.meanHoursToContain!);
      expect(summary.quarters[2]).toMatchObject({ count: 1, meanHoursToContain: null, meanHoursToResolve: null });
    });

    it("tracks follow-ups to prevent recurrence the same way as reviews do", async () => {
      const open = await db.incident.findFirstOrThrow({ where: { title: "Probe of the admin endpoint" } });
      await expect(
        addIncidentFollowUp({ actor: owner }, open.id, {
          description: "Rate-limit the admin endpoint",
          ownerId: owner.id!,
          dueOn: "2026-12-15",
        }),
      ).rejects.toMatchObject({ code: "FORBIDDEN" });
      const { id: followUpId } = await addIncidentFollowUp({ actor: manager }, open.id, {
        description: "Rate-limit the admin endpoint",
        ownerId: owner.id!,
        dueOn: "2026-12-15",
      });
      const work = await getMyWork(owner);
      expect(work.followUps.find((a) => a.id === followUpId)).toMatchObject({
        link: `/incidents/${open.id}#follow-ups`,
      });
      await updateFollowUp({ actor: owner }, followUpId, 1, {
        status: "DONE",
        note: "Limit of 10 per minute in place",
      });
      expect((await getIncident(auditor, open.id))!.followUps[0]).toMatchObject({
        status: "DONE",
        completedNote: "Limit of 10 per minute in place",
      });
      const closed = await db.incident.findFirstOrThrow({ where: { status: "CLOSED" } });
      await expect(
        addIncidentFollowUp({ actor: owner }, closed.id, { description: "x", ownerId: owner.id!, dueOn: "2026-12-15" }),
      ).rejects.toMatchObject({ code: "FORBIDDEN" });
    });

    it("lists an API's incidents, optionally since a date", async () => {
      expect((await incidentsForApi(auditor, ledgerId)).map((i) => i.title)).toEqual([
        "Leaked API key used from an unknown address",
        "Probe of the admin endpoint",
      ]);
      expect(await incidentsForApi(auditor, ledgerId, new Date("2026-11-11T00:00:00Z"))).toEqual([]);
    });

    it("a team-limited token reads and works only incidents whose affected APIs are all its team's", async () => {
      const payments = (await db.team.findFirstOrThrow({ where: { name: "Payments" } })).id;
      const identity = (await db.team.findFirstOrThrow({ where: { name: "Identity & Access" } })).id;
      const tokenApiId = (await db.api.findFirstOrThrow({ where: { name: "Token Service" } })).id;
      const identityAdmin = throughToken(admin, identity);
      const paymentsAdmin = throughToken(admin, payments);
      const ledgerIncident = await db.incident.findFirstOrThrow({
        where: { title: "Probe of the admin endpoint" },
        include: { _count: { select: { entries: true, followUps: true } } },
      });

      // Reading another team's incident: refused singly, left out of every list.
      await expect(getIncident(identityAdmin, ledgerIncident.id)).rejects.toMatchObject({ code: "FORBIDDEN" });
      expect((await listIncidents(identityAdmin)).map((i) => i.title)).toEqual([]);
      expect(await incidentsForApi(identityAdmin, ledgerId)).toEqual([]);
      expect((await getIncidentSummary(identityAdmin, new Date("2026-11-30T00:00:00Z"))).openBySeverity).toEqual({});
      expect((await getIncident(paymentsAdmin, ledgerIncident.id))!.title).toBe("Probe of the admin endpoint");

      // Writing to it: every kind of write is refused and nothing changes (the admin could, untokened).
      const attempts = [
        () =>
          updateIncident({ actor: identityAdmin }, ledgerIncident.id, ledgerIncident.version, {
            ...input(),
            title: "Rewritten by another team",
          }),
        () => advanceIncident({ actor: identityAdmin }, ledgerIncident.id, ledgerIncident.version),
        () =>
          addIncidentEntry({ actor: identityAdmin }, ledgerIncident.id, {
            kind: "note",
            at: "2026-11-21T10:00",
            recipient: "",
            text: "Planted",
          }),
        () =>
          addIncidentFollowUp({ actor: identityAdmin }, ledgerIncident.id, {
            description: "Planted",
            ownerId: owner.id!,
            dueOn: "2026-12-15",
          }),
        () => reportIncident({ actor: identityAdmin }, { ...input(), title: "Reported on another team's API" }),
        () =>
          reportIncident(
            { actor: identityAdmin },
            { ...input(), title: "Reported on both teams' APIs", apiIds: [tokenApiId, ledgerId] },
          ),
      ];
      const audit = await db.auditEntry.count();
      for (const attempt of attempts) await expect(attempt()).rejects.toMatchObject({ code: "FORBIDDEN" });
      const after = await db.incident.findUniqueOrThrow({
        where: { id: ledgerIncident.id },
        include: { _count: { select: { entries: true, followUps: true } } },
      });
      expect(after).toEqual(ledgerIncident);
      expect(await db.incident.count({ where: { title: { startsWith: "Reported on" } } })).toBe(0);
      expect(await db.auditEntry.count()).toBe(audit);

      // Its own team's incident it reports and works; it cannot pull another team's API into it.
      const { id: own } = await reportIncident(
        { actor: identityAdmin },
        { ...input(), title: "Token Service probe", apiIds: [tokenApiId] },
      );
      expect((await listIncidents(identityAdmin)).map((i) => i.title)).toEqual(["Token Service probe"]);
      await expect(
        updateIncident({ actor: identityAdmin }, own, 1, {
          ...input(),
          title: "Token Service probe",
          apiIds: [tokenApiId, ledgerId],
        }),
      ).rejects.toMatchObject({ code: "FORBIDDEN" });
      expect(await advanceIncident({ actor: identityAdmin }, own, 1)).toBe("TRIAGED");

      // An incident of two teams is each team's, so neither team's token has it all: only unrestricted callers.
      const { id: shared } = await reportIncident(
        { actor: admin },
        { ...input(), title: "Shared gateway misconfiguration", apiIds: [tokenApiId, ledgerId] },
      );
      for (const limited of [identityAdmin, paymentsAdmin]) {
        await expect(getIncident(limited, shared)).rejects.toMatchObject({ code: "FORBIDDEN" });
        expect((await listIncidents(limited)).some((i) => i.id === shared)).toBe(false);
        await expect(
          addIncidentEntry({ actor: limited }, shared, {
            kind: "note",
            at: "2026-11-21T10:00",
            recipient: "",
            text: "x",
          }),
        ).rejects.toMatchObject({ code: "FORBIDDEN" });
      }
      expect((await getIncident(auditor, shared))!.apis).toHaveLength(2);
      expect((await listIncidents(throughToken(auditor, identity, ["incidents:read"]))).map((i) => i.title)).toEqual([
        "Token Service probe",
      ]);
    });
  });
}
