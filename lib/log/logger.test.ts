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

  it("redacts fields that may hold a secret, wherever they sit in a logged object", () => {
    const { lines, stream } = capture();
    createLogger(stream, {}).warn(
      { authorization: "Bearer apl_x", config: { password: "hunter2", token: "t0k" }, a: { b: { secret: "s" } } },
      "settings",
    );
    const text = JSON.stringify(lines[0]);
    for (const secret of ["apl_x", "hunter2", "t0k", '"s"']) expect(text).not.toContain(secret);
    expect(lines[0]).toMatchObject({ authorization: "[redacted]", config: { password: "[redacted]" } });
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
