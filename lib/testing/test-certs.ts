// Certificates for the suites' TLS servers (rsyslog, Ceph's radosgw): an agency CA that signs a server
// certificate for localhost and 127.0.0.1 and a client certificate (the SIEM forwarder's, for collectors
// that ask for one, as RELP over TLS does), and another CA that signs nothing (the wrong trust anchor).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export type TestCertificates = {
  ca: string;
  cert: string;
  key: string;
  otherCa: string;
  clientCert: string;
  clientKey: string;
};

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
  /** A key and a certificate for `name`, signed by the agency CA with the extensions in `ext`. */
  const signed = (name: string, cn: string, ext: string) => {
    ssl(
      "req",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-subj",
      `/CN=${cn}`,
      "-keyout",
      f(`${name}-key.pem`),
      "-out",
      f(`${name}.csr`),
    );
    fs.writeFileSync(f(`${name}.ext`), `${ext}\n`);
    ssl(
      "x509",
      "-req",
      "-in",
      f(`${name}.csr`),
      "-CA",
      f("ca.pem"),
      "-CAkey",
      f("ca-key.pem"),
      "-CAcreateserial",
      "-days",
      "2",
      "-extfile",
      f(`${name}.ext`),
      "-out",
      f(`${name}.pem`),
    );
  };
  signed("server", "localhost", "subjectAltName=DNS:localhost,IP:127.0.0.1");
  signed("client", "apiledger-forwarder", "extendedKeyUsage=clientAuth");
  return {
    ca: f("ca.pem"),
    cert: f("server.pem"),
    key: f("server-key.pem"),
    otherCa: f("other-ca.pem"),
    clientCert: f("client.pem"),
    clientKey: f("client-key.pem"),
  };
}
