// RELP, the Reliable Event Logging Protocol (rsyslog's imrelp, librelp): syslog messages each answered by
// the collector once it has taken them into its queue. Plain TCP syslog has no such answer — a collector
// that read a batch and then stopped closes the connection as cleanly as one that kept it — so RELP is the
// transport to choose where a lost batch matters and the collector speaks it.
//
// A session: "1 open" with our offer, the collector's "1 rsp 200 …", then one "N syslog" frame per message
// (pipelined, at most WINDOW unanswered), each answered "N rsp 200 OK", then "N close" and its answer.
// Frames are TXNR SP COMMAND SP DATALEN [SP DATA] LF; the collector is not trusted to frame its answers
// sensibly, so every field is bounded and anything else ends the session as an error.
import type { Duplex } from "node:stream";

/** Unanswered messages at most (librelp's own default window). */
const WINDOW = 128;
/** The largest answer read: status lines and the open's offer are short. */
const MAX_ANSWER = 64 * 1024;
const MAX_TXNR = 999_999_999;

export type RelpFrame = { txnr: number; command: string; data: Buffer };

/** One frame's bytes. */
export function relpFrame(txnr: number, command: string, data: Buffer | string = ""): Buffer {
  const body = Buffer.isBuffer(data) ? data : Buffer.from(data);
  const head = Buffer.from(body.length ? `${txnr} ${command} ${body.length} ` : `${txnr} ${command} 0`);
  return Buffer.concat([head, body, Buffer.from("\n")]);
}

/**
 * Reads frames from what the collector sends, in whatever pieces it arrives. `push` returns the frames
 * completed so far and throws on anything that is not a RELP frame within the bounds above.
 */
export class RelpReader {
  private pending: Buffer = Buffer.alloc(0);
  /** Pieces held back until a frame whose length is known can be complete (joined once, not per piece). */
  private held: Buffer[] = [];
  private heldBytes = 0;
  private need = 0;

  push(chunk: Buffer): RelpFrame[] {
    if (this.pending.length + this.heldBytes + chunk.length < this.need) {
      this.held.push(chunk);
      this.heldBytes += chunk.length;
      return [];
    }
    this.pending = Buffer.concat([this.pending, ...this.held, chunk]);
    this.held = [];
    this.heldBytes = 0;
    this.need = 0;
    const frames: RelpFrame[] = [];
    for (;;) {
      const frame = this.next();
      if (!frame) break;
      frames.push(frame);
    }
    if (this.pending.length > MAX_ANSWER + 64) throw new Error("the collector sent a RELP answer too large to be one");
    return frames;
  }

  private next(): RelpFrame | null {
    // The length counts only once the byte after it has come: a space before data, or the trailer.
    const head = /^(\d{1,9}) ([a-z]{1,32}) (\d{1,9})([ \n])/.exec(this.pending.subarray(0, 64).toString("latin1"));
    if (!head) {
      // Not yet a whole header, or not a header at all.
      if (this.pending.length >= 64 || !/^\d{0,9}( [a-z]{0,32}( \d{0,9})?)?$/.test(this.pending.toString("latin1")))
        throw new Error("the collector sent something that is not a RELP frame");
      return null;
    }
    const length = Number(head[3]);
    if (length > MAX_ANSWER) throw new Error("the collector sent a RELP answer too large to be one");
    if (head[4] === "\n") {
      if (length) throw new Error("the collector sent something that is not a RELP frame");
      this.pending = this.pending.subarray(head[0].length);
      return { txnr: Number(head[1]), command: head[2]!, data: Buffer.alloc(0) };
    }
    const start = head[0].length;
    if (this.pending.length < start + length + 1) {
      this.need = start + length + 1;
      return null;
    }
    if (this.pending[start + length] !== 0x0a) throw new Error("the collector sent something that is not a RELP frame");
    const frame = {
      txnr: Number(head[1]),
      command: head[2]!,
      data: Buffer.from(this.pending.subarray(start, start + length)),
    };
    this.pending = this.pending.subarray(start + length + 1);
    return frame;
  }
}

/** The collector's words, fit for our log: printable ASCII only, and short. */
const said = (data: Buffer) =>
  data
    .toString("latin1")
    .split("\n")[0]!
    .replace(/[^\x20-\x7e]/g, "?")
    .slice(0, 200);

/** A session that ended before every message was answered; `answered` is how many were, in order. */
export class RelpIncomplete extends Error {
  constructor(
    message: string,
    readonly answered: number,
  ) {
    super(message);
  }
}

/**
 * Sends `messages` over the connected `socket` as one RELP session and resolves once the collector has
 * answered every one with 200. Rejects (RelpIncomplete, saying how many were answered first) on a
 * refusal, a malformed answer, a close before the last answer, `timeoutMs` without an answer, or four
 * times that for the whole session; the caller sends the rest again (a SIEM keys on seq).
 */
export function sendRelp(
  socket: Duplex & { setTimeout?: (ms: number, cb?: () => void) => unknown },
  messages: Buffer[],
  options: { timeoutMs: number; software: string; peer: string },
): Promise<void> {
  return new Promise((resolve, reject) => {
    const reader = new RelpReader();
    let opened = false;
    let sent = 0;
    let answered = 0;
    let closing = false;
    let settled = false;
    let idle: NodeJS.Timeout | null = null;
    const finish = (error: Error | null) => {
      if (settled) return;
      settled = true;
      if (idle) clearTimeout(idle);
      clearTimeout(whole);
      // Done either way: the close was answered, or there is nothing more to hear.
      socket.destroy();
      if (error) reject(new RelpIncomplete(error.message, answered));
      else resolve();
    };
    const whole = setTimeout(
      () =>
        finish(new Error(`the collector ${options.peer} did not answer the batch within ${options.timeoutMs * 4} ms`)),
      options.timeoutMs * 4,
    );
    const waitForProgress = () => {
      if (idle) clearTimeout(idle);
      idle = setTimeout(
        () => finish(new Error(`the collector ${options.peer} did not answer within ${options.timeoutMs} ms`)),
        options.timeoutMs,
      );
    };
    // txnr 1 is the open; messages are 2…; the close follows the last.
    const sendMore = () => {
      while (sent < messages.length && sent - answered < WINDOW) {
        socket.write(relpFrame(sent + 2, "syslog", messages[sent]!));
        sent++;
      }
      if (answered === messages.length && !closing) {
        closing = true;
        socket.write(relpFrame(messages.length + 2, "close"));
      }
    };
    if (messages.length + 2 > MAX_TXNR) return finish(new Error("a RELP session carries fewer messages than that"));
    socket.on("data", (chunk: Buffer) => {
      let frames: RelpFrame[];
      try {
        frames = reader.push(chunk);
      } catch (error) {
        return finish(new Error(`${(error as Error).message} (${options.peer})`));
      }
      for (const frame of frames) {
        if (frame.command === "serverclose")
          return finish(
            answered === messages.length && closing
              ? null
              : new Error(`the collector ${options.peer} closed the RELP session early`),
          );
        if (frame.command !== "rsp")
          return finish(new Error(`the collector ${options.peer} sent RELP command "${frame.command}"`));
        const expected = !opened ? 1 : answered < messages.length ? answered + 2 : messages.length + 2;
        if (frame.txnr !== expected)
          return finish(new Error(`the collector ${options.peer} answered RELP ${frame.txnr}, not ${expected}`));
        if (closing && answered === messages.length) return finish(null);
        const status = said(frame.data);
        if (!/^200( |$)/.test(status))
          return finish(new Error(`the collector ${options.peer} refused: ${status || "(no status)"}`));
        if (!opened) {
          opened = true;
          // The offer must name syslog among the commands the collector accepts.
          if (!/^commands=(.*,)?syslog(,|$)/m.test(frame.data.toString("latin1")))
            return finish(new Error(`the collector ${options.peer} does not take syslog over RELP`));
        } else answered++;
        waitForProgress();
        sendMore();
      }
    });
    socket.on("error", (error) => finish(error));
    socket.on("close", () =>
      finish(
        answered === messages.length && closing
          ? null
          : new Error(
              `the collector ${options.peer} closed the connection after answering ${answered} of ${messages.length}`,
            ),
      ),
    );
    waitForProgress();
    socket.write(relpFrame(1, "open", `relp_version=0\nrelp_software=${options.software}\ncommands=syslog`));
  });
}
