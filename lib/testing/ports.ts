// Ports and child servers for the suites that start real servers (NGINX, HAProxy, rsyslog, Prometheus).
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";

/** A TCP port nothing listens on now (the kernel's pick). */
export async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Whether something accepts TCP connections on 127.0.0.1:port (a connect, so no request is logged). */
export function accepting(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.createConnection({ host: "127.0.0.1", port });
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });
}

/** Ends a child server with `signal` and waits for it to exit (at once if it already has). */
export async function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill(signal);
  await exited;
}

export type ChildServer = { url: string; port: number; dir: string; stop: () => Promise<void> };

/** A started server on 127.0.0.1:port, run from its own temporary folder, which stop() removes. */
export function childServer(child: ChildProcess, port: number, dir: string, signal: NodeJS.Signals): ChildServer {
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    dir,
    stop: async () => {
      await stopChild(child, signal);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
