// A real NGINX (Debian's package) in the foreground for a suite, with a throw-away configuration in a
// temporary folder: the caller writes the `http` block's contents; this adds the paths NGINX needs and
// waits until it accepts connections (a TCP connect, so no request lands in an access log).
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { accepting, childServer, freePort, type ChildServer } from "@/lib/testing/ports";

export const NGINX_BIN = ["/usr/sbin/nginx", "/usr/bin/nginx"].find((p) => fs.existsSync(p));

export type Nginx = ChildServer;

/** Starts NGINX; `httpBlock(port, dir)` is the inside of its `http { }`, listening on 127.0.0.1:port. */
export async function startNginx(httpBlock: (port: number, dir: string) => string): Promise<Nginx> {
  if (!NGINX_BIN) throw new Error("nginx is not installed (apt-get install nginx)");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "apiledger-nginx-"));
  const port = await freePort();
  const conf = path.join(dir, "nginx.conf");
  fs.writeFileSync(
    conf,
    `daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log;
events {}
http {
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fcgi; uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
${httpBlock(port, dir)}
}
`,
  );
  const child: ChildProcess = spawn(NGINX_BIN, ["-c", conf, "-p", dir, "-e", `${dir}/error.log`], { stdio: "ignore" });
  for (let i = 0; ; i++) {
    const open = await accepting(port);
    if (open) break;
    if (i > 100 || child.exitCode !== null)
      throw new Error(
        `nginx did not start: ${fs.existsSync(`${dir}/error.log`) ? fs.readFileSync(`${dir}/error.log`, "utf8") : "no error log"}`,
      );
    await new Promise((r) => setTimeout(r, 100));
  }
  return childServer(child, port, dir, "SIGQUIT");
}
