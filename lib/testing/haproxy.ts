// A real HAProxy (Debian's package) in the foreground for a suite: round robin over the given servers,
// each health-checked on /api/ready, X-Forwarded-For added, and a request whose server died under it
// answered 503 with Retry-After (as a production balancer is set up), so careful clients retry it; so is a
// moment with no server up (HAProxy's own 503: one instance restarting while the other's check timed out).
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { accepting, childServer, freePort, type ChildServer } from "@/lib/testing/ports";

export const HAPROXY_BIN = ["/usr/sbin/haproxy", "/usr/bin/haproxy"].find((p) => fs.existsSync(p));

export type Haproxy = ChildServer;

export async function startHaproxy(servers: { name: string; port: number }[]): Promise<Haproxy> {
  if (!HAPROXY_BIN) throw new Error("haproxy is not installed (apt-get install haproxy)");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "apiledger-haproxy-"));
  const port = await freePort();
  const unavailable = (status: number) => {
    const file = path.join(dir, `${status}.http`);
    const body = JSON.stringify({ title: "unavailable", status: 503, detail: "The server went away; try again." });
    fs.writeFileSync(
      file,
      `HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/problem+json\r\nRetry-After: 1\r\nCache-Control: no-store\r\nConnection: close\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
    );
    return `  errorfile ${status} ${file}`;
  };
  const conf = path.join(dir, "haproxy.cfg");
  fs.writeFileSync(
    conf,
    `global
  maxconn 2000
defaults
  mode http
  timeout connect 2s
  timeout client 120s
  timeout server 120s
  timeout http-keep-alive 30s
  retries 3
  option redispatch 1
${unavailable(502)}
${unavailable(503)}
${unavailable(504)}
frontend ledger
  bind 127.0.0.1:${port}
  option forwardfor
  default_backend instances
backend instances
  balance roundrobin
  option httpchk GET /api/ready
  http-check expect status 200
  default-server inter 500ms fall 2 rise 2
${servers.map((s) => `  server ${s.name} 127.0.0.1:${s.port} check`).join("\n")}
`,
  );
  const child: ChildProcess = spawn(HAPROXY_BIN, ["-db", "-f", conf], { stdio: ["ignore", "ignore", "pipe"] });
  let errors = "";
  child.stderr!.on("data", (c: Buffer) => (errors += c.toString()));
  for (let i = 0; !(await accepting(port)); i++) {
    if (child.exitCode !== null || i > 100) {
      child.kill("SIGKILL");
      throw new Error(`haproxy did not start: ${errors}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return childServer(child, port, dir, "SIGTERM");
}
