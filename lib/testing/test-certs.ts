// Certificates for the suites' TLS servers (rsyslog, Ceph's radosgw): an agency CA that signs a server
// certificate for localhost and 127.0.0.1, and another CA that signs nothing (the wrong trust anchor).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export type TestCertificates = { ca: string; cert: string; key: string; otherCa: string };

/** Writes the certificates into a new folder under `dir` (openssl, valid two days); returns their paths. */
export function makeTestCertificates(dir: string): TestCertificates {
  const c = fs.mkdtempSync(path.join(dir, "certs-"));
  const f = (n: string) => path.join(c, n);
  const ssl = (...args: string[]) => execFileSync("openssl", args, { stdio: "ignore" });
  for (const ca of ["ca", "other-ca"])
    ssl(
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-days",
      "2",
      "-subj",
      `/CN=${ca}`,
      "-keyout",
      f(`${ca}-key.pem`),
      "-out",
      f(`${ca}.pem`),
    );
  ssl(
    "req",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-subj",
    "/CN=localhost",
    "-keyout",
    f("server-key.pem"),
    "-out",
    f("server.csr"),
  );
  fs.writeFileSync(f("ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
  ssl(
    "x509",
    "-req",
    "-in",
    f("server.csr"),
    "-CA",
    f("ca.pem"),
    "-CAkey",
    f("ca-key.pem"),
    "-CAcreateserial",
    "-days",
    "2",
    "-extfile",
    f("ext"),
    "-out",
    f("server.pem"),
  );
  return { ca: f("ca.pem"), cert: f("server.pem"), key: f("server-key.pem"), otherCa: f("other-ca.pem") };
}
