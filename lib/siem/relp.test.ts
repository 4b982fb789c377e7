// RELP framing (lib/siem/relp.ts): what the forwarder writes, and how it reads a collector's answers however
// they are cut up — and refuses anything that is not an answer, within bounds.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { siemTarget } from "@/lib/siem/forwarder";
import { RelpReader, relpFrame } from "@/lib/siem/relp";
import { makeTestCertificates } from "@/lib/testing/test-certs";

const read = (...chunks: (string | Buffer)[]) => {
  const reader = new RelpReader();
  return chunks.flatMap((c) => reader.push(Buffer.isBuffer(c) ? c : Buffer.from(c, "latin1")));
};

describe("RELP frames", () => {
  it("writes TXNR COMMAND DATALEN DATA LF, the length in bytes, and no data part when empty", () => {
    expect(relpFrame(7, "syslog", "ü").toString()).toBe("7 syslog 2 ü\n");
    expect(relpFrame(9, "close").toString()).toBe("9 close 0\n");
  });

  it("reads answers whole, cut byte by byte, or several in one piece", () => {
    const offer = "200 OK\nrelp_version=0\nrelp_software=librelp,1.11.0,http://librelp.adiscon.com\ncommands=syslog";
    const text = `${relpFrame(1, "rsp", offer).toString()}2 rsp 6 200 OK\n3 rsp 0\n0 serverclose 0\n12 rsp 10 200 OK 12\n\n`;
    const whole = read(text);
    expect(whole.map((f) => [f.txnr, f.command, f.data.toString()])).toEqual([
      [1, "rsp", "200 OK\nrelp_version=0\nrelp_software=librelp,1.11.0,http://librelp.adiscon.com\ncommands=syslog"],
      [2, "rsp", "200 OK"],
      [3, "rsp", ""],
      [0, "serverclose", ""],
      [12, "rsp", "200 OK 12\n"],
    ]);
    expect(read(...text.split(""))).toEqual(whole);
  });

  it.each([
    ["an HTTP answer", "HTTP/1.1 400 Bad Request\r\n\r\n"],
    ["a frame without its trailer", "2 rsp 6 200 OKX"],
    ["a length that is not followed by a space", "2 rsp 6X200 OK\n"],
    ["a NUL in the header", "2 r\0p 6 200 OK\n"],
    ["a bidi control in the command", "2 r\u202esp 6 200 OK\n"],
    ["a ten-digit transaction number", "1234567890 rsp 0\n"],
    ["an answer longer than any status", `2 rsp 9999999 200 ${"x".repeat(100)}`],
  ])("refuses %s", (_, text) => {
    expect(() => read(Buffer.from(text, "utf8"))).toThrow(/not a RELP frame|too large/);
  });

  it("refuses a collector that sends on and on without finishing a frame, holding no more than its bound", () => {
    const reader = new RelpReader();
    reader.push(Buffer.from("2 rsp 65536 "));
    let pushed = 0;
    expect(() => {
      for (; pushed < 1000; pushed++) reader.push(Buffer.alloc(1024, 0x41));
    }).toThrow(/not a RELP frame/);
    expect(pushed).toBeLessThanOrEqual(65);
    // A header that never ends.
    expect(() => read("1".repeat(9), " rsp ", "9".repeat(70))).toThrow(/not a RELP frame/);
  });
});

describe("APILEDGER_SIEM_URL for RELP", () => {
  it("takes syslog+relp:// and syslog+relp+tls://, on 2514 unless a port is given", () => {
    expect(siemTarget({ APILEDGER_SIEM_URL: "syslog+relp://siem.example" })).toMatchObject({
      transport: "tcp",
      relp: true,
      host: "siem.example",
      port: 2514,
    });
    expect(siemTarget({ APILEDGER_SIEM_URL: "syslog+relp+tls://[::1]:20514" })).toMatchObject({
      transport: "tls",
      relp: true,
      host: "::1",
      port: 20514,
    });
    expect(siemTarget({ APILEDGER_SIEM_URL: "syslog+tls://siem.example" })).not.toHaveProperty("relp");
  });

  it("reads the forwarder's certificate and key as a pair that belongs together, for syslog over TLS only", () => {
    const certs = makeTestCertificates(fs.mkdtempSync(path.join(os.tmpdir(), "apiledger-relp-url-")));
    const url = "syslog+relp+tls://siem.example";
    const pair = { APILEDGER_SIEM_CERT_FILE: certs.clientCert, APILEDGER_SIEM_KEY_FILE: certs.clientKey };
    expect(siemTarget({ APILEDGER_SIEM_URL: url, ...pair })).toMatchObject({
      cert: fs.readFileSync(certs.clientCert, "utf8"),
      key: fs.readFileSync(certs.clientKey, "utf8"),
    });
    expect(() => siemTarget({ APILEDGER_SIEM_URL: url, APILEDGER_SIEM_CERT_FILE: certs.clientCert })).toThrow(/both/i);
    // The server's key beside the client's certificate: said at start, not at every send.
    expect(() =>
      siemTarget({
        APILEDGER_SIEM_URL: url,
        APILEDGER_SIEM_CERT_FILE: certs.clientCert,
        APILEDGER_SIEM_KEY_FILE: certs.key,
      }),
    ).toThrow(/APILEDGER_SIEM_CERT_FILE and APILEDGER_SIEM_KEY_FILE: .*key values mismatch/);
    expect(() => siemTarget({ APILEDGER_SIEM_URL: "syslog+relp://siem.example", ...pair })).toThrow(/TLS collector/);
    expect(() => siemTarget({ APILEDGER_SIEM_URL: "otlp+https://collector.example", ...pair })).toThrow(/not OTLP/);
  });

  it("takes the largest message from APILEDGER_SIEM_MAX_MESSAGE_BYTES, 256 KiB unless set, and refuses nonsense", () => {
    expect(siemTarget({ APILEDGER_SIEM_URL: "syslog+relp://siem.example" })).toMatchObject({ maxMessageBytes: 262144 });
    expect(
      siemTarget({ APILEDGER_SIEM_URL: "syslog+tcp://siem.example", APILEDGER_SIEM_MAX_MESSAGE_BYTES: "8096" }),
    ).toMatchObject({ maxMessageBytes: 8096 });
    for (const bad of ["100", "8k", "-1", "1e9", "99999999999"])
      expect(() =>
        siemTarget({ APILEDGER_SIEM_URL: "syslog+tcp://siem.example", APILEDGER_SIEM_MAX_MESSAGE_BYTES: bad }),
      ).toThrow(/APILEDGER_SIEM_MAX_MESSAGE_BYTES/);
  });

  it.each(["syslog+relp+udp://siem.example", "relp://siem.example", "syslog+relp://user:pw@siem.example"])(
    "refuses %s",
    (url) => {
      expect(() => siemTarget({ APILEDGER_SIEM_URL: url })).toThrow(/APILEDGER_SIEM_URL must look like/);
    },
  );
});
