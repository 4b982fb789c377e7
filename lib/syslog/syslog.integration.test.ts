// The checkpoint's copy in the SIEM stream: RFC 5424 messages over UDP and TCP to a real rsyslogd (started
// here with its own configuration on high ports), parsed by rsyslog itself into facility, severity,
// app name, message id, structured data and text — and the checkpoint read back from it verifies.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase, type TestDatabase } from "@/lib/testing/test-db";
import { makeCheckpoint } from "@/lib/checkpoints/make-checkpoint";
import { checkCheckpoint, parseCheckpointLine } from "@/lib/audit/checkpoint-format";
import { signingKey } from "@/lib/signing/key";
import { parseSyslogUrl, sendSyslog } from "@/lib/syslog/syslog";
import { RSYSLOGD, startRsyslog, type Rsyslog } from "@/lib/testing/rsyslog";

describe.runIf(RSYSLOGD)("syslog sender against rsyslogd", () => {
  let collector: Rsyslog;
  let dir: string;
  let out: string;
  let database: TestDatabase;
  const udpPort = 20000 + Math.floor(Math.random() * 20000);
  const tcpPort = udpPort + 1;

  const lines = () => (fs.existsSync(out) ? fs.readFileSync(out, "utf8").split("\n").filter(Boolean) : []);
  async function waitForLines(n: number): Promise<string[]> {
    for (let i = 0; i < 200 && lines().length < n; i++) await new Promise((r) => setTimeout(r, 50));
    return lines();
  }

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "apiledger-rsyslog-"));
    collector = await startRsyslog(dir, tcpPort, {
      udpPort,
      template: "%syslogfacility%|%syslogseverity%|%app-name%|%msgid%|%structured-data%|%msg%\\n",
    });
    out = collector.out;
    process.env.APILEDGER_DATA_DIR = dir;
    database = await useTestDatabase("sqlite");
  });
  afterAll(async () => {
    await collector?.stop();
    delete process.env.APILEDGER_DATA_DIR;
    delete process.env.APILEDGER_SYSLOG_URL;
    await database?.drop();
  });

  it("parses syslog:// (UDP) and syslog+tcp:// URLs and refuses others", () => {
    expect(parseSyslogUrl("syslog://siem.agency.example")).toEqual({
      transport: "udp",
      host: "siem.agency.example",
      port: 514,
    });
    expect(parseSyslogUrl("syslog+tcp://[::1]:6514")).toEqual({ transport: "tcp", host: "::1", port: 6514 });
    expect(parseSyslogUrl("")).toBeNull();
    expect(() => parseSyslogUrl("http://siem:514")).toThrow(/syslog:\/\/host:514/);
  });

  it("delivers RFC 5424 messages with structured data over UDP and TCP, escaped as the RFC requires", async () => {
    const sd = { id: "checkpoint@32473", params: { seq: "7", note: 'a "quoted" \\ value ]' } };
    await sendSyslog(
      { transport: "udp", host: "127.0.0.1", port: udpPort },
      { msgId: "checkpoint", structuredData: sd, text: "over udp" },
    );
    await sendSyslog(
      { transport: "tcp", host: "127.0.0.1", port: tcpPort },
      { msgId: "checkpoint", structuredData: sd, text: "over tcp" },
    );
    const got = await waitForLines(2);
    expect(got).toHaveLength(2);
    for (const transport of ["udp", "tcp"]) {
      const [facility, severity, app, msgId, structured, ...msg] = got
        .find((l) => l.endsWith(`over ${transport}`))!
        .split("|");
      expect([facility, severity, app, msgId]).toEqual(["13", "5", "apiledger", "checkpoint"]);
      expect(structured).toBe('[checkpoint@32473 seq="7" note="a \\"quoted\\" \\\\ value \\]"]');
      expect(msg.join("|").trim()).toBe(`over ${transport}`);
    }
  });

  it("makeCheckpoint emits each signed checkpoint to the configured collector, and the copy verifies", async () => {
    // rsyslogd keeps the file open: count on, never remove it.
    const before = lines().length;
    process.env.APILEDGER_SYSLOG_URL = `syslog+tcp://127.0.0.1:${tcpPort}`;
    const checkpoint = (await makeCheckpoint("export"))!;
    const line = (await waitForLines(before + 1))[before];
    const [, , , msgId, structured, ...msg] = line!.split("|");
    expect(msgId).toBe("checkpoint");
    expect(structured).toContain(`seq="${checkpoint.seq}" head="${checkpoint.head}"`);
    const copy = parseCheckpointLine(msg.join("|"))!;
    expect(copy).toEqual({ text: checkpoint.text, signature: checkpoint.signature });
    expect(checkCheckpoint(copy, [signingKey().publicKeyPem])).toMatchObject({
      ok: true,
      checkpoint: { seq: checkpoint.seq },
    });
  });
});
