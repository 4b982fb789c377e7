// A real rsyslogd (Debian's), started by a test with its own configuration on a port of its own: TCP
// with octet-counted framing, or TLS through rsyslog's GnuTLS driver (rsyslog-gnutls) with a certificate
// the test made. Every message lands, as rsyslog parsed it, in one file the test reads.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { accepting } from "@/lib/testing/ports";

export const RSYSLOGD = ["/usr/sbin/rsyslogd", "/sbin/rsyslogd"].find((p) => fs.existsSync(p));
export const HAS_RELP = ["/usr/lib/x86_64-linux-gnu/rsyslog/imrelp.so", "/usr/lib/rsyslog/imrelp.so"].some((p) =>
  fs.existsSync(p),
);
export const HAS_GTLS = ["/usr/lib/x86_64-linux-gnu/rsyslog/lmnsd_gtls.so", "/usr/lib/rsyslog/lmnsd_gtls.so"].some(
  (p) => fs.existsSync(p),
);

export type Rsyslog = {
  port: number;
  /** The file every received message is written to, one line each (rsyslog's %msg%, or the template given). */
  out: string;
  lines: () => string[];
  stop: () => Promise<void>;
  /** Kills it with SIGKILL: what it held in memory is gone. */
  crash: () => Promise<void>;
  start: () => Promise<void>;
};

/**
 * Starts rsyslogd in `dir` listening on 127.0.0.1:`port` (TCP), and on `udpPort` (UDP) when given. With `tls`, the certificate and key files
 * (PEM) of the server. `stop` ends it with SIGTERM (rsyslog writes out what it holds); `start` starts it
 * again on the same port and file.
 */
export async function startRsyslog(
  dir: string,
  port: number,
  options: {
    tls?: { ca: string; cert: string; key: string };
    template?: string;
    udpPort?: number;
    /** Listen with imrelp (RELP, rsyslog-relp) instead of imtcp; with `tls`, RELP over TLS. */
    relp?: boolean;
    /**
     * No queue between input and file (a Direct main queue): a message is in the file before the input
     * takes the next, so what RELP answered survives the collector being killed.
     */
    direct?: boolean;
    /**
     * The largest message taken (maxMessageSize and imrelp's maxDataSize, "256k" unless given; imrelp
     * takes no less than maxMessageSize). Over RELP a larger one ends the session unanswered
     * (oversizeMode "abort"), where imrelp's default would cut it short and answer 200.
     */
    maxDataSize?: string;
  } = {},
): Promise<Rsyslog> {
  const out = path.join(dir, "received.log");
  const conf = path.join(dir, "rsyslog.conf");
  const tlsGlobals =
    options.tls && !options.relp
      ? ` defaultNetstreamDriver="gtls" defaultNetstreamDriverCAFile="${options.tls.ca}" defaultNetstreamDriverCertFile="${options.tls.cert}" defaultNetstreamDriverKeyFile="${options.tls.key}"`
      : "";
  const udp = options.udpPort
    ? `module(load="imudp")\ninput(type="imudp" address="127.0.0.1" port="${options.udpPort}")\n`
    : "";
  const tlsModule = options.tls ? ` streamDriver.name="gtls" streamDriver.mode="1" streamDriver.authMode="anon"` : "";
  // RELP over TLS is mutual: the collector takes only a client whose certificate the CA signed for a name it
  // lists (the forwarder's, lib/testing/test-certs.ts).
  const relpTls = options.tls
    ? ` tls="on" tls.caCert="${options.tls.ca}" tls.myCert="${options.tls.cert}" tls.myPrivKey="${options.tls.key}" tls.authMode="name" tls.permittedPeer=["apiledger-forwarder"]`
    : "";
  const input = options.relp
    ? `module(load="imrelp")\ninput(type="imrelp" address="127.0.0.1" port="${port}" maxDataSize="${options.maxDataSize ?? "256k"}" oversizeMode="abort"${relpTls})`
    : `module(load="imtcp"${tlsModule})\ninput(type="imtcp" address="127.0.0.1" port="${port}")`;
  fs.writeFileSync(
    conf,
    `global(workDirectory="${dir}" maxMessageSize="${options.maxDataSize ?? "256k"}"${tlsGlobals})
# A collector that has read a batch keeps it: at a stop, the queue is written out before rsyslogd exits
# (its default gives the queue 1.5 s and then drops what is left, which a loaded machine can exceed).
${options.direct ? 'main_queue(queue.type="Direct")' : 'main_queue(queue.timeoutShutdown="60000" queue.timeoutActionCompletion="60000")'}
${input}
${udp}template(name="line" type="string" string="${options.template ?? "%msg%\\n"}")
*.* action(type="omfile" file="${out}" template="line")
`,
  );
  let daemon: ChildProcess | null = null;
  const start = async () => {
    daemon = spawn(RSYSLOGD!, ["-n", "-f", conf, "-i", path.join(dir, "rsyslogd.pid")], { stdio: "ignore" });
    for (let i = 0; i < 100 && !(await accepting(port)); i++) await new Promise((r) => setTimeout(r, 100));
  };
  const end = async (signal: NodeJS.Signals) => {
    const running = daemon;
    daemon = null;
    if (!running || running.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once("exit", () => resolve());
      running.kill(signal);
    });
  };
  const stop = () => end("SIGTERM");
  await start();
  return {
    port,
    out,
    // Whole lines only: rsyslog writes its file in 4 KiB pieces, so the last line may not be finished yet.
    lines: () => (fs.existsSync(out) ? fs.readFileSync(out, "utf8").split("\n").slice(0, -1).filter(Boolean) : []),
    stop,
    crash: () => end("SIGKILL"),
    start,
  };
}
