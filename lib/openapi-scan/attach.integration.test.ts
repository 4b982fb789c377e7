import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPostgresAvailable, useTestDatabase, type TestDatabase } from "@/lib/testing/test-db";
import { db } from "@/lib/db";
import { seedDemo } from "@/prisma/seed";
import type { Actor, Role } from "@/lib/authz/policy";
import { attachDescription, removeDescription } from "@/lib/openapi-scan/attach-description";
import { fetchDescription } from "@/lib/openapi-scan/fetch-description";
import { getDescriptionReport } from "@/lib/openapi-scan/queries";
import { updateApi } from "@/lib/apis/update-api";
import { getApi } from "@/lib/apis/queries";
import { toEditInput } from "@/lib/apis/edit-input";

const DATA = path.resolve("../shared/data/openapi");
const actorOf = async (email: string): Promise<Actor> => {
  const u = await db.user.findUniqueOrThrow({ where: { email } });
  return { kind: "user", id: u.id, email: u.email, role: u.role as Role, teamId: u.teamId };
};

for (const provider of ["sqlite", "postgres"] as const) {
  describe.runIf((provider === "sqlite" || (await isPostgresAvailable())) && fs.existsSync(DATA))(`OpenAPI descriptions on inventory entries (${provider})`, () => {
    let database: TestDatabase;
    let dataDir: string;
    let owner: Actor, otherOwner: Actor;
    let ledgerId: string;
    beforeAll(async () => {
      database = await useTestDatabase(provider);
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "apiledger-specs-"));
      process.env.APILEDGER_DATA_DIR = dataDir;
      await seedDemo();
      owner = await actorOf("owner@example.com");
      otherOwner = await actorOf("sam.owner@example.com");
      ledgerId = (await db.api.findFirstOrThrow({ where: { name: "Payments Ledger API" } })).id;
    });
    afterAll(async () => {
      delete process.env.APILEDGER_DATA_DIR;
      fs.rmSync(dataDir, { recursive: true, force: true });
      await database?.drop();
    });
    const read = (f: string) => fs.readFileSync(path.join(DATA, f), "utf8");

    it("a description with unauthenticated writes makes ISM-2013 not met; a fully secured one restores it", async () => {
      expect((await getApi(owner, ledgerId)).controls["ism-2013"]).toBe("MET");
      await expect(attachDescription({ actor: otherOwner }, ledgerId, read("swagger-petstore3-openapi.yaml"), { kind: "upload" })).rejects.toMatchObject({ code: "FORBIDDEN" });
      const result = await attachDescription({ actor: owner }, ledgerId, read("swagger-petstore3-openapi.yaml"), { kind: "upload" });
      expect(result).toMatchObject({ anonWrites: 6, anonReads: 4, counts: { operations: 19 } });
      const api = await getApi(owner, ledgerId);
      expect(api.controls["ism-2013"]).toBe("NOT_MET");
      expect(api.controls["ism-2014"]).toBe("NOT_MET");
      expect(api.spec).toEqual({ anonWrites: 6, anonReads: 4 });
      // Editing the record keeps the description's verdict.
      await updateApi({ actor: owner }, ledgerId, api.version, { ...toEditInput(api), purpose: "Edited." });
      expect((await getApi(owner, ledgerId)).controls["ism-2013"]).toBe("NOT_MET");
      const report = (await getDescriptionReport(owner, ledgerId))!;
      expect(report.findings.filter((f) => f.rule === "unauthenticated-write")).toHaveLength(6);
      expect(report.operations).toHaveLength(19);

      await attachDescription({ actor: owner }, ledgerId, read("keycloak-admin-23.0.7.json"), { kind: "api" });
      expect((await getApi(owner, ledgerId)).controls["ism-2013"]).toBe("MET");
      const audit = await db.auditEntry.findMany({ where: { targetId: ledgerId, action: "api.description" } });
      expect(audit).toHaveLength(2);
    });

    it("a refused description (external or circular refs, not OpenAPI) stores nothing", async () => {
      const before = { files: fs.readdirSync(path.join(dataDir, "files"), { recursive: true }).length, audit: await db.auditEntry.count(), d: await db.apiDescription.findUnique({ where: { apiId: ledgerId } }) };
      const external = JSON.stringify({ openapi: "3.0.3", info: { title: "x", version: "1" }, paths: { "/x": { $ref: "file:///etc/passwd" } } });
      await expect(attachDescription({ actor: owner }, ledgerId, external, { kind: "upload" })).rejects.toMatchObject({ code: "VALIDATION" });
      const circular = JSON.stringify({ openapi: "3.1.0", info: { title: "x", version: "1" }, paths: { "/x": { $ref: "#/paths/~1x" } } });
      await expect(attachDescription({ actor: owner }, ledgerId, circular, { kind: "upload" })).rejects.toMatchObject({ message: expect.stringMatching(/Circular \$ref/) });
      await expect(attachDescription({ actor: owner }, ledgerId, "just text", { kind: "upload" })).rejects.toMatchObject({ code: "VALIDATION" });
      expect({ files: fs.readdirSync(path.join(dataDir, "files"), { recursive: true }).length, audit: await db.auditEntry.count(), d: await db.apiDescription.findUnique({ where: { apiId: ledgerId } }) }).toEqual(before);
    });

    it("removing the description returns the controls to what the record says", async () => {
      await attachDescription({ actor: owner }, ledgerId, read("argocd-swagger.json"), { kind: "upload" });
      expect((await getApi(owner, ledgerId)).controls["ism-2013"]).toBe("NOT_MET");
      await removeDescription({ actor: owner }, ledgerId);
      expect(await getDescriptionReport(owner, ledgerId)).toBeNull();
      expect((await getApi(owner, ledgerId)).controls["ism-2013"]).toBe("MET");
    });
  });
}

describe("fetching descriptions by URL", () => {
  const ok = (async () => new Response("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n")) as unknown as typeof fetch;
  const messageOf = (url: string, hosts: string, impl: typeof fetch = ok) => fetchDescription(url, hosts, impl).then(() => "fetched", (e: Error) => e.message);

  it("fetches only from hosts an admin allowed, never follows redirects, never sends credentials", async () => {
    expect(await messageOf("https://git.internal.example/a/openapi.yaml", "")).toMatch(/turned off/);
    expect(await messageOf("http://169.254.169.254/latest/meta-data", "git.internal.example")).toBe("The host 169.254.169.254 is not on the administrator's list of allowed hosts (git.internal.example).");
    expect(await messageOf("file:///etc/passwd", "git.internal.example")).toBe("Only http and https URLs are fetched.");
    expect(await messageOf("https://user:pw@git.internal.example/x", "git.internal.example")).toBe("Do not put credentials in the URL.");
    const redirect = (async () => new Response(null, { status: 302, headers: { Location: "http://169.254.169.254/" } })) as unknown as typeof fetch;
    expect(await messageOf("https://git.internal.example/x", "git.internal.example", redirect)).toMatch(/redirects elsewhere \(302\)/);
    expect(await messageOf("https://git.internal.example/x", "git.internal.example")).toBe("fetched");
  });
});
