import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPostgresAvailable, useTestDatabase, type TestDatabase } from "@/lib/testing/test-db";
import { db } from "@/lib/db/client";
import { seedDemo } from "@/prisma/seed";
import type { Actor } from "@/lib/authz/policy";
import { attachDescription, attachDescriptionFromUrl, removeDescription } from "@/lib/openapi-scan/attach-description";
import { updateSettings } from "@/lib/settings/update-settings";
import { getSettings } from "@/lib/settings/queries";
import { fetchDescription } from "@/lib/openapi-scan/fetch-description";
import type { AppError } from "@/lib/errors";
import { getDescriptionReport } from "@/lib/openapi-scan/queries";
import { updateApi } from "@/lib/apis/update-api";
import { getApi } from "@/lib/apis/queries";
import { toEditInput } from "@/lib/apis/edit-input";
import { personActor } from "@/lib/testing/actors";

const DATA = path.resolve("../shared/data/openapi");

for (const provider of ["sqlite", "postgres"] as const) {
  describe.runIf((provider === "sqlite" || (await isPostgresAvailable())) && fs.existsSync(DATA))(
    `OpenAPI descriptions on inventory entries (${provider})`,
    () => {
      let database: TestDatabase;
      let dataDir: string;
      let owner: Actor, otherOwner: Actor;
      let ledgerId: string;
      beforeAll(async () => {
        database = await useTestDatabase(provider);
        dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "apiledger-specs-"));
        process.env.APILEDGER_DATA_DIR = dataDir;
        await seedDemo();
        owner = await personActor("owner@example.com");
        otherOwner = await personActor("sam.owner@example.com");
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
        await expect(
          attachDescription({ actor: otherOwner }, ledgerId, read("swagger-petstore3-openapi.yaml"), {
            kind: "upload",
          }),
        ).rejects.toMatchObject({ code: "FORBIDDEN" });
        const result = await attachDescription({ actor: owner }, ledgerId, read("swagger-petstore3-openapi.yaml"), {
          kind: "upload",
        });
        expect(result).toMatchObject({ anonWrites: 6, anonReads: 4, counts: { operations: 19 } });
        const api = await getApi(owner, ledgerId);
        expect(api.controls["ism-2013"]).toBe("NOT_MET");
        expect(api.controls["ism-2014"]).toBe("NOT_MET");
        expect(api.spec).toEqual({ anonWrites: 6, anonReads: 4, acceptedWrites: 0, acceptedReads: 0 });
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
        const before = {
          files: fs.readdirSync(path.join(dataDir, "files"), { recursive: true }).length,
          audit: await db.auditEntry.count(),
          d: await db.apiDescription.findUnique({ where: { apiId: ledgerId } }),
        };
        const external = JSON.stringify({
          openapi: "3.0.3",
          info: { title: "x", version: "1" },
          paths: { "/x": { $ref: "file:///etc/passwd" } },
        });
        await expect(attachDescription({ actor: owner }, ledgerId, external, { kind: "upload" })).rejects.toMatchObject(
          { code: "VALIDATION" },
        );
        const circular = JSON.stringify({
          openapi: "3.1.0",
          info: { title: "x", version: "1" },
          paths: { "/x": { $ref: "#/paths/~1x" } },
        });
        await expect(attachDescription({ actor: owner }, ledgerId, circular, { kind: "upload" })).rejects.toMatchObject(
          { message: expect.stringMatching(/Circular \$ref/) },
        );
        await expect(
          attachDescription({ actor: owner }, ledgerId, "just text", { kind: "upload" }),
        ).rejects.toMatchObject({ code: "VALIDATION" });
        // A title escaped into a NUL or a lone surrogate (PostgreSQL cannot store the one, no database the other).
        for (const title of ["a\u0000b", "a\ud800b"]) {
          await expect(
            attachDescription(
              { actor: owner },
              ledgerId,
              JSON.stringify({ openapi: "3.1.0", info: { title, version: "1" }, paths: {} }),
              { kind: "upload" },
            ),
          ).rejects.toMatchObject({
            code: "VALIDATION",
            fieldErrors: { description: [expect.stringMatching(/info\.title.* contains/)] },
          });
        }
        expect({
          files: fs.readdirSync(path.join(dataDir, "files"), { recursive: true }).length,
          audit: await db.auditEntry.count(),
          d: await db.apiDescription.findUnique({ where: { apiId: ledgerId } }),
        }).toEqual(before);
      });

      it("asks permission before the server fetches anything: an auditor, another team's owner or another team's token make no request", async () => {
        const served = await misbehavingServer();
        try {
          const admin = await personActor("admin@example.com");
          await updateSettings(
            { actor: admin },
            { ...(await getSettings()), specFetchHosts: new URL(served.url).host },
          );
          const identity = (await db.team.findFirstOrThrow({ where: { name: "Identity & Access" } })).id;
          const otherTeamToken = {
            ...(admin as Extract<Actor, { kind: "user" }>),
            token: { id: "t", scopes: ["inventory:read" as const, "inventory:write" as const], teamId: identity },
          };
          for (const who of [await personActor("auditor@example.com"), otherOwner, otherTeamToken]) {
            await expect(attachDescriptionFromUrl({ actor: who }, ledgerId, `${served.url}/ok`)).rejects.toMatchObject({
              code: "FORBIDDEN",
            });
          }
          // An upload is refused before it is parsed, too: a refusal, not a verdict on the content.
          await expect(
            attachDescription({ actor: otherOwner }, ledgerId, "not a description", { kind: "upload" }),
          ).rejects.toMatchObject({ code: "FORBIDDEN" });
          expect(served.requests).toEqual([]);
          // The API's owner fetches it: one request, and the source is on record.
          await attachDescriptionFromUrl({ actor: owner }, ledgerId, `${served.url}/to-ok`);
          expect(served.requests).toEqual(["/to-ok", "/ok"]);
          expect((await getDescriptionReport(owner, ledgerId))!).toMatchObject({
            source: "url",
            sourceUrl: `${served.url}/to-ok`,
          });
          await expect(
            attachDescriptionFromUrl({ actor: owner }, ledgerId, `${served.url}/to-metadata`),
          ).rejects.toMatchObject({
            code: "VALIDATION",
            fieldErrors: { url: [expect.stringMatching(/not on the administrator's list/)] },
          });
        } finally {
          await served.close();
        }
      });

      it("removing the description returns the controls to what the record says", async () => {
        await attachDescription({ actor: owner }, ledgerId, read("argocd-swagger.json"), { kind: "upload" });
        expect((await getApi(owner, ledgerId)).controls["ism-2013"]).toBe("NOT_MET");
        await removeDescription({ actor: owner }, ledgerId);
        expect(await getDescriptionReport(owner, ledgerId)).toBeNull();
        expect((await getApi(owner, ledgerId)).controls["ism-2013"]).toBe("MET");
      });
    },
  );
}

// A real HTTP server on this machine that misbehaves in each of the ways a fetched URL can.
type Served = { url: string; requests: string[]; close: () => Promise<void> };
const SPEC = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n";
async function misbehavingServer(): Promise<Served> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(req.url ?? "");
    const port = (server.address() as AddressInfo).port;
    switch (req.url) {
      case "/ok":
        return res.end(SPEC);
      case "/drip": {
        // Headers at once, then one byte every 100 ms, for ever.
        res.writeHead(200, { "Content-Type": "application/yaml" });
        const timer = setInterval(() => res.write(" "), 100);
        res.on("close", () => clearInterval(timer));
        return;
      }
      case "/silent":
        return; // never answers at all
      case "/huge": {
        // No Content-Length: 64 KB chunks until the reader gives up.
        res.writeHead(200, { "Content-Type": "application/yaml" });
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        const pump = () => {
          while (!res.destroyed && res.write(chunk));
          if (!res.destroyed) res.once("drain", pump);
        };
        return pump();
      }
      case "/declared-huge":
        res.writeHead(200, { "Content-Length": String(50 * 1024 * 1024) });
        return res.write("openapi: 3.1.0\n");
      case "/to-metadata":
        res.writeHead(302, { Location: "http://169.254.169.254/latest/meta-data" });
        return res.end();
      case "/to-other-name":
        res.writeHead(301, { Location: `http://localhost:${port}/ok` });
        return res.end();
      case "/to-ok":
        res.writeHead(307, { Location: "/ok" });
        return res.end();
      case "/loop":
        res.writeHead(302, { Location: "/loop" });
        return res.end();
      case "/latin1":
        return res.end(Buffer.from("openapi: 3.1.0\ninfo: {title: caf\xe9, version: '1'}\npaths: {}\n", "latin1"));
      default:
        res.writeHead(404);
        return res.end("not here");
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

describe("fetching descriptions by URL, from a real server that misbehaves", () => {
  let served: Served;
  let host: string;
  beforeAll(async () => {
    served = await misbehavingServer();
    host = new URL(served.url).host;
  });
  afterAll(async () => served?.close());
  const limits = { totalMs: 1000, maxBytes: 1024 * 1024, maxRedirects: 3 };
  const outcome = async (path: string, hosts = host) => {
    const started = Date.now();
    const result = await fetchDescription(`${served.url}${path}`, hosts, { limits }).then(
      (text) => ({ text }),
      (e: unknown) => ({ code: (e as AppError).code, message: (e as Error).message }),
    );
    return { ...result, ms: Date.now() - started };
  };

  it("refuses before connecting: fetching turned off, hosts not allowed, other schemes, credentials", async () => {
    expect(await messageOf("https://git.internal.example/a/openapi.yaml", "")).toMatch(/turned off/);
    expect(await messageOf("http://169.254.169.254/latest/meta-data", "git.internal.example")).toBe(
      "The host 169.254.169.254 is not on the administrator's list of allowed hosts (git.internal.example).",
    );
    expect(await messageOf("file:///etc/passwd", "git.internal.example")).toBe("Only http and https URLs are fetched.");
    expect(await messageOf("https://user:pw@git.internal.example/x", "git.internal.example")).toBe(
      "Do not put credentials in the URL.",
    );
    expect(served.requests).toEqual([]);
  });

  it("fetches a description, following a redirect on the same allowed host", async () => {
    expect(await outcome("/ok")).toMatchObject({ text: SPEC });
    expect(await outcome("/to-ok")).toMatchObject({ text: SPEC });
  });

  it("a slow drip or a silent server ends at the deadline with a clear error, never an unexpected one", async () => {
    for (const path of ["/drip", "/silent"]) {
      const result = await outcome(path);
      expect(result).toMatchObject({
        code: "VALIDATION",
        message: `${host} did not send the whole description within 1 s; nothing was stored.`,
      });
      expect(result.ms).toBeLessThan(limits.totalMs + 1500);
    }
  });

  it("too much is refused while it arrives, or at once when the length is declared", async () => {
    expect(await outcome("/huge")).toMatchObject({
      code: "VALIDATION",
      message: `The description at ${served.url}/huge is larger than 1 MB.`,
    });
    expect(await outcome("/declared-huge")).toMatchObject({
      code: "VALIDATION",
      message: `The description at ${served.url}/declared-huge is larger than 1 MB (50 MB declared).`,
    });
  });

  it("redirects only to allowed hosts, and not for ever", async () => {
    expect(await outcome("/to-metadata")).toMatchObject({
      code: "VALIDATION",
      message: expect.stringMatching(/redirects to 169\.254\.169\.254, which is not on the administrator's list/),
    });
    expect(await outcome("/to-other-name")).toMatchObject({
      code: "VALIDATION",
      message: expect.stringMatching(/redirects to localhost:\d+, which is not on the administrator's list/),
    });
    expect(await outcome("/loop")).toMatchObject({
      code: "VALIDATION",
      message: `${served.url}/loop redirects more than 3 times; give the final URL.`,
    });
    // The metadata address was never asked: only this server saw requests.
    expect(served.requests.filter((r) => r === "/loop")).toHaveLength(4);
  });

  it("says what went wrong for an error status, bytes that are not UTF-8, and a closed port", async () => {
    expect(await outcome("/missing")).toMatchObject({
      code: "VALIDATION",
      message: `${served.url}/missing answered 404.`,
    });
    expect(await outcome("/latin1")).toMatchObject({
      code: "VALIDATION",
      message: `The description at ${served.url}/latin1 is not UTF-8 text.`,
    });
    const closed = await misbehavingServer();
    const closedHost = new URL(closed.url).host;
    await closed.close();
    const refused = await fetchDescription(`${closed.url}/ok`, closedHost, { limits }).catch((e: unknown) => e);
    expect(refused).toMatchObject({
      code: "VALIDATION",
      message: `Could not fetch ${closed.url}/ok: the connection was refused.`,
    });
  });
});

const messageOf = (url: string, hosts: string) =>
  fetchDescription(url, hosts).then(
    () => "fetched",
    (e: Error) => e.message,
  );
