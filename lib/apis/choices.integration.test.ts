// The API picker's search (lib/apis/choices.ts) on SQLite and PostgreSQL: matches by name, one team's
// APIs when asked, never a retired one, at most API_CHOICES_SHOWN with "more" said, and hostile text
// refused with its reason.
import { beforeAll, describe, expect, it } from "vitest";
import { isPostgresAvailable, useTestDatabase } from "@/lib/testing/test-db";
import { db } from "@/lib/db/client";
import { seedDemo } from "@/prisma/seed";
import type { Actor } from "@/lib/authz/policy";
import { personActor } from "@/lib/testing/actors";
import { API_CHOICES_SHOWN, findApiChoices } from "@/lib/apis/choices";
import { deleteApi } from "@/lib/apis/delete-api";

for (const provider of ["sqlite", "postgres"] as const) {
  describe.runIf(provider === "sqlite" || (await isPostgresAvailable()))(`API choices on ${provider}`, () => {
    let admin: Actor;
    beforeAll(async () => {
      await useTestDatabase(provider);
      await seedDemo();
      admin = await personActor("admin@example.com");
    });

    it("lists the APIs whose name holds the typed text, whatever its case, first by name", async () => {
      const ledger = await db.api.findFirstOrThrow({ where: { name: "Payments Ledger API" } });
      const { choices } = await findApiChoices(admin, { q: "  LEDGER ", teamId: "" });
      expect(choices).toContainEqual({ id: ledger.id, name: ledger.name, teamId: ledger.teamId });
      const names = choices.map((c) => c.name);
      expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    });

    it("lists one team's APIs when a team is given, and no retired API", async () => {
      const ledger = await db.api.findFirstOrThrow({ where: { name: "Payments Ledger API" } });
      const teamOnly = await findApiChoices(admin, { q: "", teamId: ledger.teamId });
      expect(teamOnly.choices.length).toBeGreaterThan(0);
      expect(teamOnly.choices.every((c) => c.teamId === ledger.teamId)).toBe(true);
      const other = await db.team.findFirstOrThrow({ where: { id: { not: ledger.teamId! } } });
      expect((await findApiChoices(admin, { q: "ledger", teamId: other.id })).choices).not.toContainEqual(
        expect.objectContaining({ id: ledger.id }),
      );
      await deleteApi({ actor: admin }, ledger.id);
      expect((await findApiChoices(admin, { q: "ledger", teamId: "" })).choices).not.toContainEqual(
        expect.objectContaining({ id: ledger.id }),
      );
    });

    it("lists at most a few and says that more match", async () => {
      const live = await db.api.count({ where: { deletedAt: null } });
      const all = await findApiChoices(admin, { q: "", teamId: "" });
      expect(all.choices).toHaveLength(Math.min(live, API_CHOICES_SHOWN));
      expect(all.more).toBe(live > API_CHOICES_SHOWN);
    });

    it("refuses hostile text with its reason, and a signed-out caller", async () => {
      await expect(findApiChoices(admin, { q: "a\u0000b", teamId: "" })).rejects.toMatchObject({
        code: "VALIDATION",
        fieldErrors: { q: [expect.stringMatching(/NUL/)] },
      });
      await expect(findApiChoices(admin, { q: "x\u202Ey", teamId: "" })).rejects.toMatchObject({ code: "VALIDATION" });
      await expect(findApiChoices(admin, { q: "x", teamId: "../../etc" })).rejects.toMatchObject({
        code: "VALIDATION",
      });
      await expect(findApiChoices(null, { q: "x", teamId: "" })).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
    });
  });
}
