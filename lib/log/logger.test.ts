import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, logLevel } from "@/lib/log/logger";

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString("utf8").split("\n").filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, stream };
}

describe("the app's JSON log", () => {
  it("writes one JSON object per line with level, ISO time, service and message; errors with their stack", () => {
    const { lines, stream } = capture();
    const log = createLogger(stream, {});
    log.info({ part: "jobs" }, "job ran");
    log.error({ err: new Error("boom") }, "it failed");
    log.debug("not written at the default level");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ level: "info", service: "apiledger", part: "jobs", msg: "job ran" });
    expect(new Date(String(lines[0]!.time)).toISOString()).toBe(lines[0]!.time);
    expect(lines[1]).toMatchObject({
      level: "error",
      err: { message: "boom", stack: expect.stringContaining("Error: boom") },
    });
  });

  it("redacts fields that may hold a secret at any depth and in any case, and URL credentials in every string", () => {
    const { lines, stream } = capture();
    const log = createLogger(stream, {});
    log.warn(
      {
        authorization: "Bearer apl_x",
        config: { password: "hunter2", token: "t0k" },
        a: { b: { c: { d: { headers: { Authorization: "Bearer deep-one", "Set-Cookie": "sid=abc" } } } } },
        clientSecret: "cs",
        accessToken: "at",
      },
      "settings",
    );
    // A library's error whose cause carries its request (as an HTTP client's does), and a URL with a password.
    const cause = Object.assign(new Error("request failed"), {
      config: { headers: { authorization: "Bearer in-cause" } },
    });
    const error = Object.assign(new TypeError("Invalid URL"), { input: "smtp://alert:p#ss@mail:587", cause });
    log.error({ err: error }, "could not send to smtp://alert:hunter3@mail.example:587");
    const text = lines.map((l) => JSON.stringify(l)).join("\n");
    for (const secret of [
      "apl_x",
      "hunter2",
      "t0k",
      "deep-one",
      "sid=abc",
      '"cs"',
      '"at"',
      "p#ss",
      "in-cause",
      "hunter3",
    ])
      expect(text, secret).not.toContain(secret);
    expect(lines[0]).toMatchObject({ authorization: "[redacted]", config: { password: "[redacted]" } });
    expect(lines[1]).toMatchObject({
      msg: "could not send to smtp://[redacted]@mail.example:587",
      err: { type: "TypeError", message: "Invalid URL", cause: { message: "request failed" } },
    });
  });

  it("keeps a message with a newline, NUL or bidi control on its one line", () => {
    const { lines, stream } = capture();
    createLogger(stream, {}).info({ path: '/x\n{"level":"fatal"}\u0000\u202e' }, "request");
    expect(lines).toHaveLength(1);
    expect(lines[0]!.path).toBe('/x\n{"level":"fatal"}\u0000\u202e');
  });

  it("takes only the named levels from APILEDGER_LOG_LEVEL", () => {
    expect(logLevel({})).toBe("info");
    expect(logLevel({ APILEDGER_LOG_LEVEL: "warn" })).toBe("warn");
    for (const bad of ["WARN", "verbose", "info\0", "\u202einfo", "10"])
      expect(() => logLevel({ APILEDGER_LOG_LEVEL: bad })).toThrow(/APILEDGER_LOG_LEVEL must be one of/);
  });
});
