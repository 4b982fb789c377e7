// A one-node Ceph (Debian's ceph-mon, ceph-osd and radosgw) for the S3 store's suite: a monitor, one OSD
// on memstore (RAM, nothing on disk), and the RADOS Gateway serving S3 on 127.0.0.1, over HTTP and, with
// the given certificates, HTTPS. Authentication inside the cluster is off (it is one machine's loopback);
// the gateway's S3 users sign every request with SigV4 as in production.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { accepting, freePort, stopChild } from "@/lib/testing/ports";
import type { TestCertificates } from "@/lib/testing/test-certs";

const run = promisify(execFile);
export const HAS_CEPH = ["/usr/bin/ceph-mon", "/usr/bin/ceph-osd", "/usr/bin/radosgw"].every((p) => fs.existsSync(p));

export type Ceph = {
  /** http://127.0.0.1:PORT */
  endpoint: string;
  /** https://localhost:PORT, when certificates were given */
  tlsEndpoint: string | null;
  accessKeyId: string;
  secretAccessKey: string;
  /** Creates a bucket (with Object Lock, which also turns on versioning, if asked). */
  createBucket: (name: string, options?: { objectLock?: boolean }) => Promise<void>;
  /** The env settings of an installation using `bucket` over plain HTTP. */
  env: (bucket: string) => Record<string, string>;
  /** Stops and starts the gateway (the bucket's contents stay: they live in the OSD). */
  restartGateway: () => Promise<void>;
  stop: () => Promise<void>;
};

export async function startCeph(certs?: TestCertificates): Promise<Ceph> {
  if (!HAS_CEPH) throw new Error("Ceph is not installed (apt-get install ceph-mon ceph-osd radosgw)");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "apiledger-ceph-"));
  const [monPort, rgwPort, tlsPort] = [await freePort(), await freePort(), await freePort()];
  const fsid = crypto.randomUUID();
  for (const sub of ["run", "log", "mon", "osd"]) fs.mkdirSync(path.join(dir, sub));
  const conf = path.join(dir, "ceph.conf");
  fs.writeFileSync(
    conf,
    `[global]
fsid = ${fsid}
mon host = v2:127.0.0.1:${monPort}
mon initial members = a
auth cluster required = none
auth service required = none
auth client required = none
ms mon client mode = crc
ms mon service mode = crc
ms mon cluster mode = crc
ms client mode = crc
ms service mode = crc
ms cluster mode = crc
ms bind ipv6 = false
ms bind msgr1 = false
osd pool default size = 1
osd pool default min size = 1
osd pool default pg autoscale mode = off
osd pool default pg num = 8
osd pool default pgp num = 8
mon allow pool size one = true
mon warn on pool no redundancy = false
mon max pg per osd = 1000
mon data avail warn = 1
mon data avail crit = 0
osd objectstore = memstore
memstore device bytes = 2147483648
osd crush chooseleaf type = 0
run dir = ${dir}/run
admin socket = ${dir}/run/$name.asok
log file = ${dir}/log/$name.log
pid file = ${dir}/run/$name.pid
mon data = ${dir}/mon/$name
osd data = ${dir}/osd/$name
`,
  );
  const ceph = (bin: string, ...args: string[]) => run(bin, ["-c", conf, ...args], { timeout: 60_000 });
  const children: ChildProcess[] = [];
  const daemon = (bin: string, ...args: string[]) => {
    const child = spawn(bin, ["-c", conf, "-f", ...args], { stdio: "ignore" });
    children.push(child);
    return child;
  };
  try {
    await run("monmaptool", [
      "--create",
      "--addv",
      "a",
      `[v2:127.0.0.1:${monPort}]`,
      "--fsid",
      fsid,
      path.join(dir, "monmap"),
    ]);
    await ceph("ceph-mon", "--mkfs", "-i", "a", "--monmap", path.join(dir, "monmap"));
    daemon("ceph-mon", "-i", "a");
    const osdUuid = crypto.randomUUID();
    const { stdout: id } = await ceph("ceph", "osd", "new", osdUuid);
    fs.mkdirSync(path.join(dir, "osd", `osd.${id.trim()}`));
    await ceph("ceph-osd", "-i", id.trim(), "--mkfs", "--osd-uuid", osdUuid);
    daemon("ceph-osd", "-i", id.trim());
    const frontends = `beast endpoint=127.0.0.1:${rgwPort}${certs ? ` ssl_endpoint=127.0.0.1:${tlsPort} ssl_certificate=${certs.cert} ssl_private_key=${certs.key}` : ""}`;
    let gateway: ChildProcess | null = null;
    const startGateway = async () => {
      gateway = daemon(
        "radosgw",
        "-n",
        "client.rgw",
        "--rgw-frontends",
        frontends,
        "--rgw-data",
        path.join(dir, "rgw"),
      );
      // The gateway creates its pools on first start, which needs the OSD up: allow a minute.
      for (let i = 0; !(await accepting(rgwPort)); i++) {
        if (gateway.exitCode !== null || i > 600) throw new Error(`radosgw did not start (logs in ${dir}/log)`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    await startGateway();
    const accessKeyId = `AK${crypto.randomUUID().replaceAll("-", "").slice(0, 18).toUpperCase()}`;
    const secretAccessKey = crypto.randomUUID() + crypto.randomUUID();
    await ceph(
      "radosgw-admin",
      "-n",
      "client.rgw",
      "user",
      "create",
      "--uid",
      "apiledger",
      "--display-name",
      "ApiLedger",
      "--access-key",
      accessKeyId,
      "--secret",
      secretAccessKey,
    );
    const endpoint = `http://127.0.0.1:${rgwPort}`;
    return {
      endpoint,
      tlsEndpoint: certs ? `https://localhost:${tlsPort}` : null,
      accessKeyId,
      secretAccessKey,
      createBucket: async (name, options = {}) => {
        const client = new S3Client({
          endpoint,
          region: "us-east-1",
          forcePathStyle: true,
          credentials: { accessKeyId, secretAccessKey },
        });
        await client.send(new CreateBucketCommand({ Bucket: name, ObjectLockEnabledForBucket: options.objectLock }));
        client.destroy();
      },
      env: (bucket) => ({
        APILEDGER_BLOB_STORE: "s3",
        APILEDGER_S3_ENDPOINT: endpoint,
        APILEDGER_S3_BUCKET: bucket,
        APILEDGER_S3_ACCESS_KEY_ID: accessKeyId,
        APILEDGER_S3_SECRET_ACCESS_KEY: secretAccessKey,
      }),
      restartGateway: async () => {
        if (gateway) await stopChild(gateway, "SIGKILL");
        await startGateway();
      },
      stop: async () => {
        for (const child of children.reverse()) await stopChild(child, "SIGKILL");
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    for (const child of children) child.kill("SIGKILL");
    throw error;
  }
}
